package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.custody.support.AllAtOnce;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An export's bundle is built as it streams, holding a few MiB of the heap and a core for seconds. One signed-in user
 * (a stolen session, or a script gone wrong) asked for 150 downloads of a 5,000-case export at once from the service as
 * README runs it ({@code -Xmx448m}, H2): before the builds were bounded, the ledger's writer thread died of
 * OutOfMemoryError, and with it every later write, until the service was restarted. A bundle holds its turn until its
 * last byte is written, so a client that reads slowly must not hold it for as long as it likes, and one that goes away
 * is no error of the service's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownloadFloodTest {
    private static final int CASES = 5_000;
    private static final int DOWNLOADS = 150;
    private static final String ONE_TIME_PASSWORD = "an invented one-time password for the flood";
    private static final String PASSWORD = "an invented password for the flood";

    private Path directory;
    private Path output;
    private String export;
    private String largerExport;

    /**
     * 5,000 cases and their export (3.9 MB), and 1,000 more whose summaries hold 3,000 characters that do not compress,
     * exported with 4,000 of the others (10.7 MB): larger by far than what the connection's buffers take at once on loopback
     * (about 2.8 MB), so that a slow reader holds its bundle back.
     */
    @BeforeAll
    void createCasesAndExports() throws Exception {
        directory = TempDirectories.create("custody-download-flood");
        output = directory.resolve("service.log");
        assertThat(ServiceProcess.command(directory, Map.of("CUSTODY_NEW_PASSWORD", ONE_TIME_PASSWORD), output, "add-user", "--username", "flood.worker",
                "--display-name", "Invented worker", "--roles", "CASE_WORKER")).isZero();
        try (ServiceProcess service = ServiceProcess.start(directory, Map.of(), output)) {
            String token = service.firstSignIn("flood.worker", ONE_TIME_PASSWORD, PASSWORD);
            String circumstances = "Invented circumstances of a detention, long enough to weigh something in a bundle. ".repeat(3);
            List<String> cases = createCases(service, token, CASES, i -> circumstances);
            export = export(service, token, cases);
            Random random = new Random(42);
            List<String> more = new ArrayList<>(cases.subList(0, CASES - 1_000)); // an export has at most 5,000 cases
            more.addAll(createCases(service, token, 1_000, i -> {
                byte[] noise = new byte[2_250];
                random.nextBytes(noise);
                return Base64.getEncoder().encodeToString(noise);
            }));
            largerExport = export(service, token, more);
            assertThat(service.stop()).as("exit status of a graceful stop").isIn(0, 143);
        }
    }

    @AfterAll
    void deleteDirectory() {
        TempDirectories.delete(directory);
    }

    @Test
    void downloadsSentAllAtOnceAreBuiltInTurnRefusedPastTheQueueAndTakeNothingDown() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(directory, Map.of(), output)) {
            String token = service.signIn("flood.worker", PASSWORD);
            long sizeBefore = service.logSize();

            List<Download> downloads = AllAtOnce.send(DOWNLOADS, i -> () -> download(service, token, export));
            long served = downloads.stream().filter(download -> download.status() == 200).count();
            long refused = downloads.stream().filter(download -> download.status() == 503).count();
            assertThat(served + refused).as("every answer a bundle or 503").isEqualTo(DOWNLOADS);
            assertThat(served).as("bundles are still built").isPositive();
            assertThat(downloads.stream().filter(download -> download.status() == 200).map(Download::bytes).distinct())
                    .as("every bundle served whole, and all alike").hasSize(1);
            downloads.stream().filter(download -> download.status() == 503).forEach(download -> {
                assertThat(download.contentType()).startsWith("application/problem+json");
                assertThat(download.retryAfter()).isEqualTo("1");
            });
            assertThat(service.logSize() - sizeBefore).as("a download refused for want of a turn is recorded nowhere").isEqualTo(served);
            assertThat(service.metrics().at("/gauges/custody.exports.refused-busy/value").asLong()).isEqualTo(refused);

            TestApp.Reply after = service.send("POST", "/api/v1/cases", token, "{\"person\":{\"fullName\":\"Invented After\"},\"category\":\"UNKNOWN\"}");
            assertThat(after.status()).as("the service still takes writes").isEqualTo(201);
        }
        assertThat(Files.readString(output)).doesNotContain("OutOfMemoryError").doesNotContain("\"level\":\"ERROR\"");
    }

    /**
     * A client that reads a little now and then is cut off once its bundle has waited for it long enough (here a second
     * in all, at under 1 MiB a second), and the client sees a download that failed, not a short bundle; one that hangs up
     * is noted, not reported as an error. Either way the bundle's turn goes to the next download.
     */
    @Test
    void aClientThatReadsTooSlowlyIsCutOffAndOneThatHangsUpIsNoError() throws Exception {
        Map<String, String> pace = Map.of("CUSTODY_MIN_DOWNLOAD_RATE", "1MiB", "CUSTODY_DOWNLOAD_RATE_GRACE", "1s");
        try (ServiceProcess service = ServiceProcess.start(directory, pace, output)) {
            String token = service.signIn("flood.worker", PASSWORD);
            Download whole = download(service, token, export);
            assertThat(whole.status()).as("a client that reads at once keeps the pace").isEqualTo(200);

            try (RawDownload slow = RawDownload.start(service, token, largerExport)) {
                assertThat(slow.status()).isEqualTo(200);
                assertThat(slow.readSlowlyUntil(() -> cutOff(service) > 0, Duration.ofSeconds(90))).as("cut off").isTrue();
                slow.readToTheEnd();
                assertThat(slow.complete()).as("no end of the chunked body: the client knows the download failed").isFalse();
            }
            assertThat(cutOff(service)).isOne();

            try (RawDownload hungUp = RawDownload.start(service, token, export)) {
                assertThat(hungUp.status()).isEqualTo(200);
                hungUp.readSlowlyUntil(() -> true, Duration.ZERO);
            }

            Download after = download(service, token, export);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.bytes()).as("the turns were given back").isEqualTo(whole.bytes());
            assertThat(service.stop()).as("exit status of a graceful stop").isIn(0, 143);
        }
        String logs = Files.readString(output);
        assertThat(logs).contains("Cut off the download of export " + largerExport).contains("ended unfinished after")
                .doesNotContain("\"level\":\"ERROR\"");
    }

    private static List<String> createCases(ServiceProcess service, String token, int count, IntFunction<String> summary) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = "{\"person\":{\"fullName\":\"Invented Person " + i + "\"},\"category\":\"UNKNOWN\",\"summary\":\"" + summary.apply(i) + "\"}";
                created.add(writers.submit(() -> {
                    TestApp.Reply reply = service.send("POST", "/api/v1/cases", token, body);
                    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                    return reply.json().get("id").asText();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> id : created) {
                ids.add(id.get());
            }
            return ids;
        } finally {
            writers.shutdownNow();
        }
    }

    private static String export(ServiceProcess service, String token, List<String> caseIds) throws Exception {
        String body = "{\"caseIds\":[\"" + String.join("\",\"", caseIds) + "\"],\"purpose\":\"Invented flood of downloads\"}";
        TestApp.Reply reply = service.send("POST", "/api/v1/exports", token, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    /** A download as the client saw it: the bundle's bytes counted as they arrive, not kept. */
    private record Download(int status, long bytes, String contentType, String retryAfter) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Download download(ServiceProcess service, String token, String export) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/api/v1/exports/" + export + "/bundle"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(3)).GET().build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        try (InputStream body = response.body()) {
            bytes = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new Download(response.statusCode(), bytes, response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    private static long cutOff(ServiceProcess service) {
        try {
            return service.metrics().at("/gauges/custody.exports.cut-too-slow/value").asLong();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A download over a socket of its own with a small receive buffer, read as the test says; the answer's head is read at once. */
    private static final class RawDownload implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final int status;
        private final byte[] buffer = new byte[4_096];
        private byte[] tail = new byte[0];

        private RawDownload(ServiceProcess service, String token, String export) throws IOException {
            socket.setReceiveBufferSize(4_096);
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress("127.0.0.1", service.port()));
            socket.getOutputStream().write(("GET /api/v1/exports/" + export + "/bundle HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection ended within the answer's head");
                }
                head.write(b);
            }
            status = Integer.parseInt(head.toString(StandardCharsets.US_ASCII).substring(9, 12));
            // kept alive, so the body is chunked: a whole one ends with its last chunk, an aborted one without it
            if (!head.toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                throw new IOException("the answer is not chunked: " + head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
            }
        }

        static RawDownload start(ServiceProcess service, String token, String export) throws IOException {
            return new RawDownload(service, token, export);
        }

        int status() {
            return status;
        }

        /**
         * Reads 4 KiB every 50 ms (80 KiB a second at most) until {@code done} (asked every half second, and once at the
         * start) says so: true; false if the connection ended first or {@code atMost} passed.
         */
        boolean readSlowlyUntil(BooleanSupplier done, Duration atMost) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            long nextAsk = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (read() >= 0) {
                if (atMost.isZero() || System.nanoTime() >= nextAsk) {
                    if (done.getAsBoolean()) {
                        return true;
                    }
                    nextAsk = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
            return false;
        }

        /** Reads what is left at once, until the connection ends or the body's last chunk has come (the connection is kept alive). */
        void readToTheEnd() throws IOException {
            while (!complete() && read() >= 0) {
                // nothing to do but take it
            }
        }

        /** Whether the chunked body reached its end ({@code 0} and a blank line), from its last bytes. */
        boolean complete() {
            return new String(tail, StandardCharsets.US_ASCII).endsWith("\r\n0\r\n\r\n");
        }

        private int read() throws IOException {
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketException reset) {
                return -1;
            }
            if (read > 0) {
                byte[] joined = Arrays.copyOf(tail, tail.length + read);
                System.arraycopy(buffer, 0, joined, tail.length, read);
                tail = Arrays.copyOfRange(joined, Math.max(0, joined.length - 16), joined.length);
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
