package org.custody.log;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;

/**
 * Healthy while the ledger's writer runs and stores what it is given: without it no change, and no recorded read, can
 * be stored. A batch the database could not store (a full disk, a database gone) turns it red until a batch is stored
 * again, or for {@link #FAILURE_SHOWN} when nothing is written after it; reads alone may still work meanwhile, so the
 * database's own check can stay green.
 */
public final class LedgerHealthCheck extends HealthCheck {
    /** How long a failed batch keeps the check red when no batch is stored after it. */
    static final Duration FAILURE_SHOWN = Duration.ofMinutes(1);

    private final Ledger ledger;

    public LedgerHealthCheck(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    protected Result check() {
        if (!ledger.isWriting()) {
            return Result.unhealthy("the ledger's writer is not running: no change can be stored");
        }
        return ledger.failedLately(FAILURE_SHOWN)
                .map(failed -> Result.unhealthy("changes are failing: the database could not store a batch at " + failed + ", and none since"))
                .orElseGet(() -> Result.healthy(ledger.queued() + " change(s) queued"));
    }
}
