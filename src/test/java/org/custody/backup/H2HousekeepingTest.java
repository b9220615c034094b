package org.custody.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Files;
import java.nio.file.Path;
import org.custody.support.TempDirectories;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class H2HousekeepingTest {
    static final int COMMITS = 6_000;
    /** Commits between pauses of a housekeeping round's length. */
    static final int PACE = 300;
    static final int ROUND_MILLIS = 200;

    /**
     * The same durable workload (small commits appending to tables, one of them keyed by random ids, and moving a head row,
     * as the ledger's batches do) with and without housekeeping. H2's retention time is shortened here so that chunks age within
     * the test; the service keeps H2's default.
     */
    @Test
    void housekeepingKeepsTheFileSmallUnderManySmallCommitsAndLosesNoCommit() throws Exception {
        Timer rewrites = new Timer();
        long without = fileSizeAfterWorkload(null);
        long with = fileSizeAfterWorkload(rewrites);
        System.out.printf("H2 file after %d commits: %,d bytes without housekeeping, %,d with (%d rounds rewrote pages)%n", COMMITS, without, with,
                rewrites.getCount());
        assertThat(with).isLessThan(without * 7 / 10);
        // and the timer the admin port shows counted the rounds that did that work
        assertThat(rewrites.getCount()).isPositive();
    }

    @Test
    void otherDatabasesGetNoHousekeeping() {
        MetricRegistry metrics = new MetricRegistry();
        assertThat(H2Housekeeping.forDatabase("jdbc:postgresql://localhost/custody", null, () -> {}, metrics)).isNotInstanceOf(H2Housekeeping.class);
        assertThat(H2Housekeeping.forDatabase("jdbc:h2:mem:custody", null, () -> {}, metrics)).isNotInstanceOf(H2Housekeeping.class);
        assertThat(H2Housekeeping.forDatabase("jdbc:h2:tcp://localhost/custody", null, () -> {}, metrics)).isNotInstanceOf(H2Housekeeping.class);
        assertThat(metrics.getTimers()).doesNotContainKey(H2Housekeeping.REWRITES_METRIC);
        assertThat(H2Housekeeping.forDatabase("jdbc:h2:file:./data/custody;WRITE_DELAY=0", null, () -> {}, metrics)).isInstanceOf(H2Housekeeping.class);
        assertThat(H2Housekeeping.forDatabase("jdbc:h2:./data/custody", null, () -> {}, metrics)).isInstanceOf(H2Housekeeping.class);
        assertThat(metrics.getTimers()).containsKey(H2Housekeeping.REWRITES_METRIC);
    }

    /** The file's size after the workload; with housekeeping when {@code rewrites} is given, which then counts its rounds' rewrites. */
    private static long fileSizeAfterWorkload(Timer rewrites) throws Exception {
        Path directory = TempDirectories.create("custody-h2-housekeeping");
        String url = "jdbc:h2:file:" + directory + "/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0;RETENTION_TIME=200";
        try {
            JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
            Jdbi jdbi = Jdbi.create(pool);
            // Rounds come more often than in the service, as the retention time is shorter, so that the test takes seconds.
            Managed keeper = rewrites != null ? new H2Housekeeping(jdbi, () -> {}, ROUND_MILLIS, rewrites) : new Managed() {};
            keeper.start();
            jdbi.useHandle(handle -> {
                handle.execute("CREATE TABLE head (id INT PRIMARY KEY, size INT)");
                handle.execute("INSERT INTO head VALUES (1, 0)");
                handle.execute("CREATE TABLE entry (idx INT PRIMARY KEY, bytes VARCHAR(400))");
                handle.execute("CREATE TABLE record (id UUID PRIMARY KEY, payload VARCHAR(400))");
            });
            for (int i = 1; i <= COMMITS; i++) {
                int index = i;
                jdbi.useTransaction(handle -> {
                    handle.createUpdate("INSERT INTO entry VALUES (:idx, REPEAT('invented ', 30))").bind("idx", index).execute();
                    handle.createUpdate("INSERT INTO record VALUES (RANDOM_UUID(), REPEAT('invented ', 30))").execute();
                    handle.createUpdate("UPDATE head SET size = :size").bind("size", index).execute();
                });
                if (i % PACE == 0) {
                    // Both runs pause alike, so that chunks age past the retention time and housekeeping gets its rounds
                    // however fast the machine commits: unpaced, a fast run gave housekeeping too few rounds to show.
                    Thread.sleep(ROUND_MILLIS);
                }
            }
            keeper.stop();
            long size = Files.size(directory.resolve("custody.mv.db"));
            pool.dispose();

            // Reopened, every commit is there, the last one included.
            JdbcConnectionPool reopened = JdbcConnectionPool.create(url, "sa", "");
            Jdbi again = Jdbi.create(reopened);
            int head = again.withHandle(handle -> handle.createQuery("SELECT size FROM head").mapTo(Integer.class).one());
            int entries = again.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM entry").mapTo(Integer.class).one());
            int records = again.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM record").mapTo(Integer.class).one());
            assertThat(head).isEqualTo(COMMITS);
            assertThat(entries).isEqualTo(COMMITS);
            assertThat(records).isEqualTo(COMMITS);
            reopened.dispose();
            return size;
        } finally {
            TempDirectories.delete(directory);
        }
    }
}
