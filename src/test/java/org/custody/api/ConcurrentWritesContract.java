package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** 16 clients × 50 writes at once: the log stays gapless and unique, and every write has its entry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConcurrentWritesContract {
    static final int THREADS = 16;
    static final int WRITES_PER_THREAD = 50;
    TestApp app;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void concurrentWritesGetGaplessUniqueIndexesEachWithItsOwnEntry() throws Exception {
        String worker = app.userWithRoles("worker", "CASE_WORKER");
        String caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Shared Case\"},\"category\":\"UNKNOWN\"}").json().get("id").asText();
        long sizeBefore = app.logSize();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<long[]>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<long[]> mine = new ArrayList<>();
                for (int i = 0; i < WRITES_PER_THREAD; i++) {
                    Reply reply = i % 2 == 0
                            ? app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Person " + thread + "-" + i + "\"},\"category\":\"UNKNOWN\"}")
                            : app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"T " + thread + "-" + i + "\",\"caseIds\":[\"" + caseId + "\"]}");
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
                    mine.add(new long[] {Long.parseLong(reply.header("Log-Index"))});
                }
                return mine;
            }));
        }
        Set<Long> indexes = new HashSet<>();
        for (Future<List<long[]>> result : results) {
            result.get().forEach(index -> assertThat(indexes.add(index[0])).as("index %d returned twice", index[0]).isTrue());
        }
        pool.shutdown();

        int writes = THREADS * WRITES_PER_THREAD;
        assertThat(indexes).hasSize(writes);
        assertThat(app.logSize()).isEqualTo(sizeBefore + writes);
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry")).isEqualTo(sizeBefore + writes);
        assertThat(app.queryLong("SELECT COUNT(DISTINCT idx) FROM log_entry")).isEqualTo(sizeBefore + writes);
        assertThat(app.queryLong("SELECT MIN(idx) FROM log_entry")).isZero();
        assertThat(app.queryLong("SELECT MAX(idx) FROM log_entry")).isEqualTo(sizeBefore + writes - 1);
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry WHERE idx >= " + sizeBefore + " AND action = 'case.created'")).isEqualTo(writes / 2);
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry WHERE idx >= " + sizeBefore + " AND action = 'evidence.created'")).isEqualTo(writes / 2);
        assertThat(app.queryLong("SELECT COUNT(*) FROM cases")).isEqualTo(1 + writes / 2);
        assertThat(app.queryLong("SELECT COUNT(*) FROM evidence")).isEqualTo(writes / 2);
        assertThat(app.queryLong("SELECT COUNT(DISTINCT reference) FROM cases")).isEqualTo(1 + writes / 2);
    }
}
