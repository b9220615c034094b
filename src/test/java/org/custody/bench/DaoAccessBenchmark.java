package org.custody.bench;

import java.util.Map;
import org.custody.common.PlainQuery;
import org.custody.log.LogDao;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * What one DAO call costs beyond its SQL, the per-request overhead the load benchmark points at: the same one-row
 * query through a SqlObject attached per call (as the services do), an on-demand SqlObject, a plain handle, and
 * plain JDBC ({@link PlainQuery}, as a case read's two queries run), on a pooled in-memory H2. Run it with
 * {@code mvn -B test -Pbench -Dtest=DaoAccessBenchmark}.
 */
class DaoAccessBenchmark {
    static final int CALLS = 20_000;

    @Test
    void measure() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:dao-bench;DB_CLOSE_DELAY=-1", "sa", "");
        Jdbi jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE log_head (id INT PRIMARY KEY, size BIGINT, root VARBINARY(32))");
            handle.execute("INSERT INTO log_head VALUES (1, 0, NULL)");
        });
        LogDao onDemand = jdbi.onDemand(LogDao.class);
        PlainQuery<Long> size = new PlainQuery<>("SELECT size FROM log_head WHERE id = :id", rs -> rs.getLong("size"));
        for (int round = 1; round <= 3; round++) {
            long attached = time(() -> jdbi.withExtension(LogDao.class, LogDao::size));
            long demand = time(onDemand::size);
            long plain = time(() -> jdbi.withHandle(handle -> handle.createQuery("SELECT size FROM log_head WHERE id = 1").mapTo(Long.class).one()));
            long jdbc = time(() -> size.findOne(pool, Map.of("id", 1)).orElseThrow());
            System.out.printf("round %d: SqlObject attached per call %.0f µs, on-demand SqlObject %.0f µs, plain handle %.0f µs, plain JDBC %.1f µs%n",
                    round, attached / 1e3, demand / 1e3, plain / 1e3, jdbc / 1e3);
        }
        pool.dispose();
    }

    private static long time(Runnable call) {
        long began = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return (System.nanoTime() - began) / CALLS;
    }
}
