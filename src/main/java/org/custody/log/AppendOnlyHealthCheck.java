package org.custody.log;

import com.codahale.metrics.health.HealthCheck;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Healthy while the database refuses to rewrite the log (see {@link AppendOnlyDefence}). */
public final class AppendOnlyHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public AppendOnlyHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        List<String> gaps = jdbi.withHandle(AppendOnlyDefence::gaps);
        return gaps.isEmpty() ? Result.healthy(AppendOnlyDefence.HOLDS) : Result.unhealthy(String.join("; ", gaps));
    }
}
