package org.custody.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP client against a server that answers with fixed bytes, so each framing is seen exactly. */
class KeepAliveConnectionTest {
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** Serves the given answers in turn, one per request received; an answer with {@code Connection: close} ends its connection. */
    private KeepAliveConnection serving(String... answers) throws IOException {
        if (server != null) {
            server.close();
        }
        server = new ServerSocket(0);
        ServerSocket server = this.server;
        Thread acceptor = new Thread(() -> {
            int next = 0;
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = socket.getOutputStream();
                    while (next < answers.length) {
                        String request = readRequest(reader);
                        if (request == null) {
                            break;
                        }
                        requests.add(request);
                        String answer = answers[next++];
                        out.write(answer.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (answer.contains("Connection: close")) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new KeepAliveConnection("localhost", server.getLocalPort());
    }

    private static String readRequest(BufferedReader reader) throws IOException {
        StringBuilder request = new StringBuilder();
        int length = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += reader.read(body, read, length - read);
                }
                return request.append("\n").append(body).toString();
            }
            if (line.startsWith("Content-Length: ")) {
                length = Integer.parseInt(line.substring(16));
            }
            request.append(line).append("\n");
        }
        return null;
    }

    @Test
    void readsBodiesFramedByLengthAndByChunksOverOneConnection() throws Exception {
        try (KeepAliveConnection connection = serving(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length: 17\r\n\r\n{\"id\":\"Արամ\"}" /* 17 bytes in UTF-8 */,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n",
                "HTTP/1.1 204 No Content\r\nETag: \"3\"\r\n\r\n")) {
            TestApp.Reply created = connection.send("POST", "/api/v1/cases", "t0ken", "{\"fullName\":\"Invented\"}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("id").asText()).isEqualTo("Արամ");
            assertThat(created.header("Content-Length")).isEqualTo("17");
            assertThat(connection.send("GET", "/x", null, null).body()).isEqualTo("{\"a\":1}");
            TestApp.Reply empty = connection.send("PUT", "/y", "t0ken", null);
            assertThat(empty.status()).isEqualTo(204);
            assertThat(empty.header("etag")).isEqualTo("\"3\"");
        }
        assertThat(connections).hasValue(1);
        assertThat(requests.get(0)).startsWith("POST /api/v1/cases HTTP/1.1\n").contains("Authorization: Bearer t0ken\n")
                .contains("Content-Type: application/json\n").endsWith("\n{\"fullName\":\"Invented\"}");
        assertThat(requests.get(1)).startsWith("GET /x HTTP/1.1\n").doesNotContain("Authorization").doesNotContain("Content-Length");
        assertThat(requests.get(2)).contains("Content-Length: 0\n");
    }

    @Test
    void opensANewConnectionAfterTheServiceClosedOne() throws Exception {
        try (KeepAliveConnection connection = serving(
                "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            assertThat(connection.send("GET", "/a", null, null).status()).isEqualTo(400);
            assertThat(connection.send("GET", "/b", null, null).body()).isEqualTo("ok");
        }
        assertThat(connections).hasValue(2);
    }

    @Test
    void refusesWhatItCannotFrameInsteadOfGuessing() throws Exception {
        try (KeepAliveConnection connection = serving("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nunframed")) {
            assertThatThrownBy(() -> connection.send("GET", "/", null, null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("without Content-Length");
        }
        try (KeepAliveConnection connection = serving("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nshort")) {
            assertThatThrownBy(() -> connection.send("GET", "/", null, null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("inside a response body");
        }
    }
}
