package org.custody.access;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/**
 * Healthy when the service can check second factors: the second-factor key's file is readable by its owner alone, is
 * the key the database records as its own, and opens a secret the database holds. Without it no administrator who
 * enrolled one can sign in.
 */
public final class SecondFactorHealthCheck extends HealthCheck {
    private final Jdbi jdbi;
    private final SecondFactorSecrets secrets;

    public SecondFactorHealthCheck(Jdbi jdbi, SecondFactorSecrets secrets) {
        this.jdbi = jdbi;
        this.secrets = secrets;
    }

    @Override
    protected Result check() {
        return secrets.problem(jdbi).map(Result::unhealthy).orElseGet(() -> Result.healthy("the second-factor key opens the stored secrets"));
    }
}
