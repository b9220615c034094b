package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request bodies that come slowly, or not at all. A request's body is read on the thread that handles it, so before
 * these bounds 1,100 connections from one address that sent a byte of their bodies every ten seconds took every thread
 * of the shipped service, and no other request was answered for as long as they went on. Here the application's
 * connector pauses for at most a second (idleTimeout), bodies come at 1 KiB a second or faster (as config.yml ships)
 * once the service has waited a second for them in all, and two threads may wait for the bodies of one address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SlowBodiesContract {
    private static final String CASE = "{\"person\":{\"fullName\":\"Invented Slow Sender\"},\"category\":\"UNKNOWN\"}";

    private Path directory;
    private TestApp app;
    private String worker;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        directory = TempDirectories.create("custody-slow-bodies");
        app = TestApp.start(TestDatabase.fresh(database()), TestApp.configWith(directory, null, "bodyWaitsPerAddress: 2"),
                ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "1s"), ConfigOverride.config("requestBodyRateGrace", "1s"));
        worker = app.userWithRoles("slow.worker", "CASE_WORKER");
    }

    @AfterAll
    void stop() {
        app.close();
        TempDirectories.delete(directory);
    }

    @Test
    void aBodyThatStopsComingIsRefusedWith408AndWritesNothing() throws Exception {
        long size = app.logSize();
        List<Long> footprint = app.footprint();
        try (RawPost post = RawPost.from(app, "127.0.0.1", worker, CASE.length())) {
            post.send(CASE.substring(0, 10));
            String answer = post.answer();
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Content-Type: application/problem+json").contains("Connection: close")
                    .contains("\"type\":\"/problems/body-timeout\"");
        }
        assertThat(app.logSize()).isEqualTo(size);
        assertThat(app.footprint()).isEqualTo(footprint);
    }

    @Test
    void aBodySentSlowerThanTheMinimumIsRefusedWith408() throws Exception {
        long size = app.logSize();
        try (RawPost post = RawPost.from(app, "127.0.0.1", worker, CASE.length())) {
            long started = System.nanoTime();
            String answer = null;
            for (int i = 0; i < CASE.length() && answer == null; i++) {
                post.send(CASE.substring(i, i + 1)); // a byte every 200 ms: 5 bytes a second, never a pause of a second
                Thread.sleep(200);
                answer = post.answerIfAny();
            }
            assertThat(answer).as("refused before the body was complete").isNotNull().startsWith("HTTP/1.1 408 ").contains("Connection: close");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(app.logSize()).isEqualTo(size);
    }

    @Test
    void onlySoManyThreadsWaitForTheBodiesOfOneAddressAndOthersAreServed() throws Exception {
        long size = app.logSize();
        List<RawPost> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawPost post = RawPost.from(app, "127.0.0.1", worker, CASE.length());
                post.send("{");
                waiting.add(post);
            }
            awaitWaiting(2);
            try (RawPost third = RawPost.from(app, "127.0.0.1", worker, CASE.length())) {
                third.send("{");
                String answer = third.answer();
                assertThat(answer).startsWith("HTTP/1.1 429 ").contains("Retry-After: 1").contains("Connection: close")
                        .contains("\"type\":\"/problems/too-many-waiting-bodies\"");
            }
            try (RawPost other = RawPost.from(app, "127.0.0.2", worker, CASE.length())) {
                other.send(CASE);
                assertThat(other.answer()).as("another address is served").startsWith("HTTP/1.1 201 ");
            }
            assertThat(app.get("/api/v1/cases?size=1", worker).status()).as("requests without a body are served").isEqualTo(200);
        } finally {
            for (RawPost post : waiting) {
                post.close();
            }
        }
        awaitWaiting(0);
        assertThat(app.logSize()).as("the one case created, and the list read").isEqualTo(size + 2);
        assertThat(metric("custody.requests.body-waits-refused")).isGreaterThanOrEqualTo(1);
    }

    /** A gzip body is decoded as it is read, under the same waits and pace as any other: Jetty's decoding hid it from them. */
    @Test
    void aCompressedBodyIsServedAndKeepsTheRulesEveryBodyKeeps() throws Exception {
        byte[] compressed = TestApp.gzip(CASE);
        try (RawPost post = RawPost.from(app, "127.0.0.1", worker, compressed.length, "Content-Encoding: gzip")) {
            post.send(compressed);
            String answer = post.answer();
            assertThat(answer).startsWith("HTTP/1.1 201 ").contains("Invented Slow Sender");
        }
        long size = app.logSize();
        List<Long> footprint = app.footprint();
        try (RawPost post = RawPost.from(app, "127.0.0.1", worker, compressed.length, "Content-Encoding: gzip")) {
            post.send(java.util.Arrays.copyOf(compressed, 12));
            awaitWaiting(1);
            assertThat(post.answer()).startsWith("HTTP/1.1 408 ").contains("Connection: close").contains("\"type\":\"/problems/body-timeout\"");
        }
        awaitWaiting(0);
        assertThat(app.logSize()).isEqualTo(size);
        assertThat(app.footprint()).isEqualTo(footprint);
    }

    private void awaitWaiting(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (metric("custody.requests.body-waits") != expected) {
            assertThat(System.nanoTime()).as("threads waiting for bodies: %d expected", expected).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private long metric(String gauge) {
        try {
            return TestApp.MAPPER.readTree(app.admin("GET", "/metrics").body()).get("gauges").get(gauge).get("value").asLong();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A POST of a case over a socket of its own from a chosen loopback address, its body sent as the test says. */
    private static final class RawPost implements AutoCloseable {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;

        private RawPost(TestApp app, String from, String token, int length, String... headers) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", app.port()));
            socket.setSoTimeout(15_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
            out.write(("POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n" + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList())
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        static RawPost from(TestApp app, String address, String token, int length, String... headers) throws IOException {
            return new RawPost(app, address, token, length, headers);
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** The answer, read until the server closes the connection or sends a whole body. */
        String answer() throws IOException {
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8_192];
            int n;
            while (!complete(answer) && (n = in.read(buffer)) >= 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return answer.toString();
        }

        /** The answer if one has begun to arrive, else null. */
        String answerIfAny() throws IOException {
            return in.available() > 0 ? answer() : null;
        }

        private static boolean complete(StringBuilder answer) {
            int head = answer.indexOf("\r\n\r\n");
            if (head < 0) {
                return false;
            }
            String headers = answer.substring(0, head).toLowerCase(java.util.Locale.ROOT);
            int at = headers.indexOf("content-length: ");
            if (at < 0) {
                return false;
            }
            int length = Integer.parseInt(headers.substring(at + 16).lines().findFirst().orElseThrow().strip());
            return answer.toString().getBytes(StandardCharsets.UTF_8).length >= head + 4 + length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
