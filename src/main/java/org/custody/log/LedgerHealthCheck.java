package org.custody.log;

import com.codahale.metrics.health.HealthCheck;

/** Healthy while the ledger's writer runs: without it no change, and no recorded read, can be stored. */
public final class LedgerHealthCheck extends HealthCheck {
    private final Ledger ledger;

    public LedgerHealthCheck(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    protected Result check() {
        return ledger.isWriting() ? Result.healthy(ledger.queued() + " change(s) queued")
                : Result.unhealthy("the ledger's writer is not running: no change can be stored");
    }
}
