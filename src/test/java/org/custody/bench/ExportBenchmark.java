package org.custody.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.audit.Findings;
import org.custody.export.BundleVerifier;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.junit.jupiter.api.Test;

/**
 * Exports at the scale: 1,000 cases of 20 log entries each (a case, an evidence item, two custody events and 16
 * edits), exported by a case worker over HTTP; reports the time to build and download the bundle, its size, the time
 * the offline verifier takes, and the largest live heap seen while the bundle streamed (the client forces a collection
 * after every 64 KiB it reads), for a tenth of the cases and for all of them (twice: the second time the database's page cache, part of the heap
 * on H2, already holds what the export reads). Run it with
 * {@code mvn -B test -Pbench -Dtest=ExportBenchmark} ({@code -Dbench.databases=h2,postgres}, {@code -Dbench.cases=1000}, {@code -Dbench.h2CacheKib=8192});
 * results on standard output and in target/export-bench-results.md.
 */
class ExportBenchmark {
    static final int CASES = Integer.getInteger("bench.cases", 1_000);
    static final int WRITERS = 16;
    static final ObjectMapper MAPPER = Json.configure(Jackson.newObjectMapper());

    @Test
    void measure() throws Exception {
        List<String> report = new ArrayList<>();
        report.add("Machine: " + Machine.describe()
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        for (String database : System.getProperty("bench.databases", "h2").split(",")) {
            measure(database.strip(), report);
        }
        Files.write(Path.of("target/export-bench-results.md"), report);
        report.forEach(System.out::println);
    }

    private void measure(String database, List<String> report) throws Exception {
        Path directory = TempDirectories.create("custody-export-bench");
        EmbeddedPostgres server = database.equals("h2") ? null : TestDatabase.durablePostgres();
        TestDatabase db = server == null ? TestDatabase.h2File(directory) : TestDatabase.freshIn(server);
        if (db.kind() == TestDatabase.Kind.H2 && Integer.getInteger("bench.h2CacheKib") != null) {
            // H2's page cache lives in the heap (64 MiB by default): a smaller one shows what the export itself holds
            db = new TestDatabase(db.kind(), db.driverClass(), db.url() + ";CACHE_SIZE=" + Integer.getInteger("bench.h2CacheKib"), db.user(), db.password());
            report.add("(H2 page cache limited to " + Integer.getInteger("bench.h2CacheKib") + " KiB)");
        }
        try (TestApp app = TestApp.start(db, "test-config.yml")) {
            String worker = app.userWithRoles("bench.worker", "CASE_WORKER");
            long began = System.nanoTime();
            List<String> ids = populate(app, worker);
            report.add(String.format("%n%s: %,d cases, log of %,d entries, written in %.1f s", database, ids.size(), app.logSize(),
                    (System.nanoTime() - began) / 1e9));
            exportAndVerify(app, worker, ids.subList(0, ids.size() / 10), directory, report);
            exportAndVerify(app, worker, ids, directory, report);
        } finally {
            TempDirectories.delete(directory);
            if (server != null) {
                server.close();
            }
        }
    }

    private List<String> populate(TestApp app, String worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<String>> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            int n = i;
            cases.add(pool.submit(() -> oneCase(app, worker, n)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> created : cases) {
            ids.add(created.get());
        }
        pool.shutdown();
        return ids;
    }

    /** Twenty entries about one case: it, an evidence item, two custody events, sixteen edits. */
    private static String oneCase(TestApp app, String worker, int n) {
        String id = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Person " + n
                + "\",\"originalScriptName\":\"Արամ Վարդանյան " + n + "\"},\"category\":\"PRISONER_OF_WAR\"}").expect(201).json().get("id").asText();
        String evidence = app.post("/api/v1/evidence", worker, "{\"kind\":\"VIDEO\",\"title\":\"Invented video " + n
                + "\",\"sha256\":\"" + "ab".repeat(32) + "\",\"caseIds\":[\"" + id + "\"]}").expect(201).json().get("id").asText();
        for (String action : List.of("RECEIVED", "VERIFIED")) {
            app.post("/api/v1/evidence/" + evidence + "/custody-events", worker,
                    "{\"action\":\"" + action + "\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"invented note\"}").expect(201);
        }
        for (int version = 1; version <= 16; version++) {
            app.patch("/api/v1/cases/" + id, worker, "\"" + version + "\"",
                    "{\"summary\":\"Invented summary, revision " + version + ", with enough text to be a realistic paragraph of a case file.\"}").expect(200);
        }
        return id;
    }

    private void exportAndVerify(TestApp app, String worker, List<String> ids, Path directory, List<String> report) throws Exception {
        String exportId = app.post("/api/v1/exports", worker, MAPPER.createObjectNode().put("purpose", "benchmark")
                .set("caseIds", MAPPER.valueToTree(ids)).toString()).expect(201).json().get("id").asText();
        Path bundle = directory.resolve("bundle-" + ids.size() + ".zip");
        long began = System.nanoTime();
        HttpResponse<Path> timed = HttpClient.newHttpClient().send(app.request("/api/v1/exports/" + exportId + "/bundle", worker).GET().build(),
                HttpResponse.BodyHandlers.ofFile(bundle));
        assertThat(timed.statusCode()).isEqualTo(200);
        double built = (System.nanoTime() - began) / 1e9;
        long size = Files.size(bundle);
        report.add(String.format("- export of %,d cases: bundle of %.1f MiB built and downloaded in **%.1f s**", ids.size(), size / 1048576.0, built));

        began = System.nanoTime();
        Findings findings = new BundleVerifier(MAPPER).verify(bundle, Optional.empty(), Optional.empty());
        double verified = (System.nanoTime() - began) / 1e9;
        assertThat(findings.problems()).isEmpty();
        long entries = findings.passed().stream().filter(line -> line.startsWith("entry ")).count();
        report.add(String.format("  - verified (%,d entries, %,d cases) in **%.1f s**", entries, ids.size(), verified));
        report.add("  - " + liveHeapWhileStreaming(app, worker, exportId, directory));
    }

    /** Downloads the bundle again, forcing a collection after every 64 KiB read, and reports the largest live heap seen. */
    private static String liveHeapWhileStreaming(TestApp app, String worker, String exportId, Path directory) throws Exception {
        Path bundle = directory.resolve("bundle-sampled.zip");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long peakLive = heapBefore;
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(app.request("/api/v1/exports/" + exportId + "/bundle", worker).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long size = 0;
        long nextSample = 64 << 10;
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(bundle)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                size += read;
                if (size >= nextSample) {
                    System.gc();
                    peakLive = Math.max(peakLive, memory.getHeapMemoryUsage().getUsed());
                    nextSample += 64 << 10;
                }
            }
        }
        return String.format("live heap after GC while streaming: %.0f MiB before, at most %.0f MiB during (+%.0f MiB)", heapBefore / 1048576.0,
                peakLive / 1048576.0, (peakLive - heapBefore) / 1048576.0);
    }
}
