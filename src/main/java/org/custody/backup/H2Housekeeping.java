package org.custody.backup;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.custody.common.Failures;
import org.custody.common.H2Urls;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file from growing without bound. H2 writes every commit as a new chunk of pages at the end
 * of its file and reuses a chunk only once none of its pages is live; its own background thread, which moves the
 * few live pages out of sparse chunks, does not run with {@code WRITE_DELAY=0} (needed so that a commit is on disk
 * before it is acknowledged). This does that work instead: four times a second it asks the store to rewrite the live
 * pages of its emptiest chunks, a bounded amount at a time, through the store's normal commit path. Unused chunks are then
 * reused after H2's retention time, which stays at its default so that a power cut cannot leave the file pointing at
 * overwritten chunks.
 *
 * <p>It also brings the database back after a storage failure. When a write fails (a full disk, an I/O error), H2
 * closes the database, but the pool's connections stay attached to the closed one and every request fails until
 * the pool happens to replace them all. A round that finds the database closed replaces the pool's connections at
 * once; the next one opens the database again from its file, which holds every acknowledged commit (each was on disk
 * before it was acknowledged), and if the disk is still full the next write closes it again, and so on.
 */
public final class H2Housekeeping implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Chunks are rewritten while the file's live share is below this percentage (H2's own default for housekeeping). */
    static final int TARGET_FILL_RATE = 90;
    /**
     * At most this many bytes of live pages are moved per round, a round every quarter of a second: 4 MiB a second,
     * enough to keep a million-entry log's file at about a third of its size without housekeeping, while leaving most
     * of two cores to the ledger (16 MiB a second cost a third of the append rate). Small rounds often rather than
     * 8 MiB every two seconds: what runs beside a round waits for a core while it lasts, and short rounds spread that
     * wait thinly instead of stalling a second's proofs (the benchmarks' journal, "Smaller housekeeping rounds").
     */
    static final int BYTES_PER_ROUND = 1 << 20;

    static final long PERIOD_MILLIS = 250;
    /** H2's error code, as SQL state, for a statement on a database that has been closed. */
    static final String DATABASE_IS_CLOSED = "90098";
    /**
     * The rounds that rewrote pages, timed: each takes a core for a tenth of a second or more and slows what runs beside
     * it (README, "The H2 file's size", gives the measurement), so an operator sees when the file is being compacted,
     * after a burst of writes for instance. Rounds with nothing to move are not counted.
     */
    public static final String REWRITES_METRIC = "custody.h2.housekeeping-rewrites";

    private final Jdbi jdbi;
    /** Closes every connection of the pool (those in use when they come back). */
    private final Runnable replaceConnections;
    private final Timer rewrites;
    private final Rounds rounds;

    H2Housekeeping(Jdbi jdbi, Runnable replaceConnections, long periodMillis, Timer rewrites) {
        this.jdbi = jdbi;
        this.replaceConnections = replaceConnections;
        this.rounds = new Rounds("h2-housekeeping", periodMillis, this::compact);
        this.rewrites = rewrites;
    }

    /** Housekeeping for a database at {@code url}: this for an embedded H2 file, nothing for anything else. */
    public static Managed forDatabase(String url, Jdbi jdbi, Runnable replaceConnections, MetricRegistry metrics) {
        return H2Urls.isEmbeddedFile(url) ? new H2Housekeeping(jdbi, replaceConnections, PERIOD_MILLIS, metrics.timer(REWRITES_METRIC))
                : new Managed() {};
    }

    @Override
    public void start() {
        rounds.start();
    }

    @Override
    public void stop() throws InterruptedException {
        rounds.stop();
    }

    /** One round; returns whether chunks were rewritten. */
    boolean compact() {
        long began = System.nanoTime();
        try {
            boolean rewrote = jdbi.withHandle(handle -> store(handle.getConnection().unwrap(JdbcConnection.class))
                    .compact(TARGET_FILL_RATE, BYTES_PER_ROUND));
            if (rewrote) {
                rewrites.update(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            }
            return rewrote;
        } catch (RuntimeException | SQLException e) {
            if (storeStopped(e)) {
                LOG.error("The H2 database closed itself after a failed write (disk full or failing?); replacing the pool's connections so that the next one opens it again");
                replaceConnections.run();
            } else {
                LOG.warn("H2 housekeeping round failed: {}", Failures.describe(e));
            }
            return false;
        }
    }

    /**
     * Whether the failure says the store is gone: H2's own exception from the store (after a failed write it throws
     * that write's failure for every later use), or "database is closed".
     */
    static boolean storeStopped(Throwable failure) {
        return Failures.anyCause(failure, cause -> cause instanceof MVStoreException
                || cause instanceof SQLException sql && DATABASE_IS_CLOSED.equals(sql.getSQLState()));
    }

    /** The store under an embedded connection (the service only ever opens H2 files in its own process). */
    static MVStore store(JdbcConnection connection) {
        return ((SessionLocal) connection.getSession()).getDatabase().getStore().getMvStore();
    }
}
