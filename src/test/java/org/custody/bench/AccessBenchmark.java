package org.custody.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.custody.access.PasswordHasher;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The cost of access control: case reads over HTTP with read recording off and on, side by side in one run (16
 * concurrent readers on the durable H2 file as shipped; a first, unreported round warms the JVM up), and the time of
 * one Argon2id password check with the shipped parameters. Run it with {@code mvn -B test -Pbench -Dtest=AccessBenchmark}; results on standard output and
 * in target/access-bench-results.md.
 */
class AccessBenchmark {
    static final int READERS = 16;
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);

    @Test
    void measure() throws Exception {
        List<String> report = new ArrayList<>();
        report.add("Machine: " + Machine.describe());
        reads(true, new ArrayList<>());
        double off = reads(false, report);
        double on = reads(true, report);
        report.add(String.format("- reads with recording on: **%.0f%%** of the throughput with it off", 100 * on / off));
        report.add("- Argon2id (m=19 MiB, t=" + PasswordHasher.DEFAULT_ITERATIONS + ", p=1), one password check: " + argon2());
        Files.write(Path.of("target/access-bench-results.md"), report);
        report.forEach(System.out::println);
    }

    private double reads(boolean recording, List<String> report) throws Exception {
        Path directory = TempDirectories.create("custody-access-bench");
        // one user's reads, hundreds a second, with and without recording alike
        String config = TestApp.configWithAuth(directory, "recordReads: " + recording, "readsPerSecond: 0");
        try (TestApp app = TestApp.start(TestDatabase.h2File(directory), config)) {
            String worker = app.userWithRoles("bench.reader", "CASE_WORKER");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Person " + i + "\"},\"category\":\"UNKNOWN\"}")
                        .json().get("id").asText());
            }
            long entriesBefore = app.queryLong("SELECT COUNT(*) FROM log_entry");
            run(app, worker, ids, 5);
            long[] latencies = new long[1_000_000];
            AtomicLong done = new AtomicLong();
            long began = System.nanoTime();
            run(app, worker, ids, SECONDS, latencies, done);
            double seconds = (System.nanoTime() - began) / 1e9;
            double rate = done.get() / seconds;
            long[] sorted = Arrays.copyOf(latencies, (int) Math.min(done.get(), latencies.length));
            Arrays.sort(sorted);
            long recorded = app.queryLong("SELECT COUNT(*) FROM log_entry WHERE action = 'case.viewed'");
            report.add(String.format("- case reads (GET /api/v1/cases/{id}), recording %s: **%,.0f reads/s**, p50 %.2f ms, p99 %.2f ms; "
                            + "case.viewed entries written: %,d (log grew by %,d)", recording ? "on" : "off", rate,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, recorded,
                    app.queryLong("SELECT COUNT(*) FROM log_entry") - entriesBefore));
            if (!recording) {
                assertThat(recorded).isZero();
            }
            return rate;
        } finally {
            TempDirectories.delete(directory);
        }
    }

    private static void run(TestApp app, String token, List<String> ids, int seconds) throws Exception {
        run(app, token, ids, seconds, new long[1], new AtomicLong());
    }

    private static void run(TestApp app, String token, List<String> ids, int seconds, long[] latencies, AtomicLong done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(pool.submit(() -> {
                while (!stop.get()) {
                    long began = System.nanoTime();
                    int status = app.get("/api/v1/cases/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())), token).status();
                    long took = System.nanoTime() - began;
                    if (status != 200) {
                        throw new IllegalStateException("read failed: " + status);
                    }
                    long n = done.getAndIncrement();
                    if (n < latencies.length) {
                        latencies[(int) n] = took;
                    }
                }
                return null;
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Future<?> reader : readers) {
            reader.get();
        }
        pool.shutdown();
    }

    private static String argon2() {
        PasswordHasher hasher = PasswordHasher.defaults(new SecureRandom());
        String hash = hasher.hash("an invented passphrase".toCharArray());
        for (int i = 0; i < 5; i++) {
            hasher.verify("an invented passphrase".toCharArray(), hash);
        }
        long[] times = new long[20];
        for (int i = 0; i < times.length; i++) {
            long began = System.nanoTime();
            hasher.verify("an invented passphrase".toCharArray(), hash);
            times[i] = System.nanoTime() - began;
        }
        Arrays.sort(times);
        return String.format("median %.0f ms, min %.0f ms, max %.0f ms (20 checks)", times[10] / 1e6, times[0] / 1e6, times[19] / 1e6);
    }
}
