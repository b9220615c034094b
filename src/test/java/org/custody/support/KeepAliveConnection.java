package org.custody.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client's HTTP/1.1 connection to the service, kept open between requests, blocking, one request at a time. The
 * load generator shares the machine's two cores with the service, so it should spend as little of them as a client
 * can: the JDK's {@code HttpClient} took 0.09–0.57 ms of CPU a request, about a fifth of the machine at the read
 * phase's rate, against 0.03–0.05 ms for this. Enough of HTTP/1.1 for this service's answers (RFC 9112): a status line, header fields, and a body
 * framed by Content-Length or chunked; anything else fails the benchmark rather than being guessed at. It can also
 * speak from a chosen local address (any of 127.0.0.0/8 on Linux), as clients at many addresses would.
 */
public final class KeepAliveConnection implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final String host;
    private final int port;
    private final InetAddress from;
    private Socket socket;
    /** Connections this client has opened: one, unless the service closed them ({@code Connection: close}). */
    private long opened;
    private InputStream in;
    private OutputStream out;

    /** How many connections this client has opened (it reopens after an answer that said {@code Connection: close}). */
    public long opened() {
        return opened;
    }

    public KeepAliveConnection(String host, int port) {
        this(host, port, null);
    }

    /** A connection whose packets come from {@code from} (null: whichever address the system picks). */
    public KeepAliveConnection(String host, int port, InetAddress from) {
        this.host = host;
        this.port = port;
        this.from = from;
    }

    public TestApp.Reply send(String method, String path, String token, String body) throws IOException {
        if (socket == null) {
            socket = from == null ? new Socket(host, port) : new Socket(host, port, from, 0);
            opened++;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (content != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        } else if (!method.equals("GET")) {
            head.append("Content-Length: 0\r\n");
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + 2 + (content == null ? 0 : content.length));
        request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (content != null) {
            request.writeBytes(content);
        }
        out.write(request.toByteArray());
        out.flush();
        return receive();
    }

    private TestApp.Reply receive() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int headBytes = statusLine.length();
        for (String field = line(); !field.isEmpty(); field = line()) {
            headBytes += field.length();
            if (headBytes > MAX_HEAD) {
                throw new IOException("response header over " + MAX_HEAD + " bytes");
            }
            int colon = field.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header field: " + field);
            }
            fields.computeIfAbsent(field.substring(0, colon), name -> new ArrayList<>()).add(field.substring(colon + 1).strip());
        }
        byte[] body;
        String encoding = first(fields, "Transfer-Encoding");
        String length = first(fields, "Content-Length");
        if (status == 204 || status == 304) {
            body = new byte[0];
        } else if (encoding != null) {
            if (!encoding.toLowerCase(Locale.ROOT).equals("chunked")) {
                throw new IOException("unexpected transfer coding: " + encoding);
            }
            body = chunked();
        } else if (length != null) {
            int expected = Integer.parseInt(length);
            body = in.readNBytes(expected);
            if (body.length != expected) {
                throw new EOFException("the connection closed inside a response body");
            }
        } else {
            throw new IOException("a response without Content-Length or chunked coding (status " + status + ")");
        }
        if ("close".equalsIgnoreCase(first(fields, "Connection"))) {
            close();
        }
        return new TestApp.Reply(status, HttpHeaders.of(fields, (name, value) -> true), new String(body, StandardCharsets.UTF_8));
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int extension = size.indexOf(';');
            int chunk = Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
            if (chunk == 0) {
                while (!line().isEmpty()) {
                    // trailer fields: none expected, none used
                }
                return body.toByteArray();
            }
            byte[] data = in.readNBytes(chunk);
            if (data.length != chunk) {
                throw new EOFException("the connection closed inside a chunk");
            }
            body.writeBytes(data);
            if (!line().isEmpty()) {
                throw new IOException("a chunk not followed by CRLF");
            }
        }
    }

    /** One line of the response head, without its CRLF (Latin-1, as field values are octets). */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the service closed the connection");
            }
            if (b == '\n') {
                int last = line.length() - 1;
                if (last < 0 || line.charAt(last) != '\r') {
                    throw new IOException("a line not ended by CRLF");
                }
                line.setLength(last);
                return line.toString();
            }
            if (line.length() >= MAX_HEAD) {
                throw new IOException("a response line over " + MAX_HEAD + " bytes");
            }
            line.append((char) b);
        }
    }

    private static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null ? null : values.get(0);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            Socket closing = socket;
            socket = null;
            closing.close();
        }
    }
}
