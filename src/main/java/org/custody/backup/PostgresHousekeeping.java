package org.custody.backup;

import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.sql.Statement;
import org.custody.common.Failures;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's table of unfinished tiles small. Every ledger batch adds a row of the new hashes and every
 * finished tile deletes its rows, so the table holds a few dozen live rows among the deleted ones; autovacuum, which
 * visits a database at most once a minute ({@code autovacuum_naptime}), frees their space for reuse only then, and at
 * 9,000 appends a second the table reached 27 MB, 27 bytes per entry of a million-entry log (README, "What bounds each
 * figure"). This vacuums that one table every ten seconds, so the space of its deleted rows is reused within seconds.
 *
 * <p>VACUUM needs the table's owner or, from PostgreSQL 17, the MAINTAIN privilege
 * ({@code migrations/postgres-service-role.sql} grants it). A role with neither would have the table skipped with a
 * warning every round: this checks once at start, says so, and leaves the table to autovacuum.
 */
public final class PostgresHousekeeping implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresHousekeeping.class);
    static final long PERIOD_MILLIS = 10_000;
    static final String TABLE = "log_tile_part";

    private final Jdbi jdbi;
    private final Rounds rounds;
    /** Whether the last round failed: a database that is down is reported once, not every ten seconds. */
    private volatile boolean failing;

    public PostgresHousekeeping(Jdbi jdbi) {
        this(jdbi, PERIOD_MILLIS);
    }

    PostgresHousekeeping(Jdbi jdbi, long periodMillis) {
        this.jdbi = jdbi;
        this.rounds = new Rounds("postgres-housekeeping", periodMillis, this::vacuum);
    }

    @Override
    public void start() {
        if (!mayVacuum()) {
            LOG.info("The service's database role may not vacuum {}, so autovacuum alone frees its deleted rows (grant MAINTAIN on it, "
                    + "PostgreSQL 17 or later: migrations/postgres-service-role.sql)", TABLE);
            return;
        }
        rounds.start();
    }

    @Override
    public void stop() throws InterruptedException {
        rounds.stop();
    }

    /**
     * One round: VACUUM outside any transaction (it cannot run in one), skipping the table rather than waiting when
     * another instance is vacuuming it. Returns whether it ran.
     */
    public boolean vacuum() {
        try {
            jdbi.useHandle(handle -> {
                try (Statement statement = handle.getConnection().createStatement()) {
                    statement.execute("VACUUM (SKIP_LOCKED) " + TABLE);
                }
            });
            if (failing) {
                LOG.info("Vacuuming {} works again", TABLE);
                failing = false;
            }
            return true;
        } catch (RuntimeException | SQLException e) {
            if (!failing) {
                LOG.warn("Vacuuming {} failed (said once until it works again): {}", TABLE, Failures.describe(e));
                failing = true;
            }
            return false;
        }
    }

    /** Whether the connected role owns the table (or is a member of its owner) or holds MAINTAIN on it. */
    public boolean mayVacuum() {
        try {
            return jdbi.withHandle(handle -> {
                boolean owner = handle.createQuery("SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = CAST(:table AS regclass)")
                        .bind("table", TABLE).mapTo(Boolean.class).one();
                try {
                    return owner || handle.createQuery("SELECT has_table_privilege(:table, 'MAINTAIN')").bind("table", TABLE).mapTo(Boolean.class).one();
                } catch (JdbiException olderThan17) {
                    return false; // "unrecognized privilege type": no MAINTAIN before PostgreSQL 17
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not tell whether the service may vacuum {}: {}", TABLE, Failures.describe(e));
            return false;
        }
    }
}
