package org.custody.log;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** Healthy when the database answers and the log head agrees with the entries stored. */
public final class LogHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public LogHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        return jdbi.withHandle(handle -> {
            long size = handle.attach(LogDao.class).size();
            long next = handle.createQuery("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entry").mapTo(Long.class).one();
            if (next != size) {
                return Result.unhealthy("log head says " + size + " entries, the last stored entry is " + (next - 1));
            }
            return Result.healthy("log size " + size);
        });
    }
}
