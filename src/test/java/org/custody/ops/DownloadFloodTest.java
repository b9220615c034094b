package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.support.AllAtOnce;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * An export's bundle is built as it streams, holding a few MiB of the heap and a core for seconds. One signed-in user
 * (a stolen session, or a script gone wrong) asked for 150 downloads of a 5,000-case export at once from the service as
 * README runs it ({@code -Xmx448m}, H2): before the builds were bounded, the ledger's writer thread died of
 * OutOfMemoryError, and with it every later write, until the service was restarted.
 */
class DownloadFloodTest {
    private static final int CASES = 5_000;
    private static final int DOWNLOADS = 150;
    private static final String PASSWORD = "an invented password for the flood";

    @Test
    void downloadsSentAllAtOnceAreBuiltInTurnRefusedPastTheQueueAndTakeNothingDown() throws Exception {
        Path directory = TempDirectories.create("custody-download-flood");
        try {
            Path output = directory.resolve("service.log");
            assertThat(ServiceProcess.command(directory, Map.of("CUSTODY_NEW_PASSWORD", PASSWORD), output, "add-user", "--username", "flood.worker",
                    "--display-name", "Invented worker", "--roles", "CASE_WORKER")).isZero();
            try (ServiceProcess service = ServiceProcess.start(directory, Map.of(), output)) {
                String token = service.signIn("flood.worker", PASSWORD);
                String export = export(service, token, createCases(service, token));
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
            String logs = Files.readString(output);
            assertThat(logs).doesNotContain("OutOfMemoryError").doesNotContain("\"level\":\"ERROR\"");
        } finally {
            TempDirectories.delete(directory);
        }
    }

    private static List<String> createCases(ServiceProcess service, String token) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                String body = "{\"person\":{\"fullName\":\"Invented Person " + i + "\"},\"category\":\"UNKNOWN\",\"summary\":\""
                        + "Invented circumstances of a detention, long enough to weigh something in a bundle. ".repeat(3) + "\"}";
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
}
