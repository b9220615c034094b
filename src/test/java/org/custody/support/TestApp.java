package org.custody.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.custody.CustodyApplication;
import org.custody.CustodyConfiguration;

/**
 * The whole service on a random port against a fresh test database, with a small raw HTTP client: raw so that
 * tests can send what real clients send, including broken bodies.
 */
public final class TestApp implements AutoCloseable {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestDatabase database;
    private final Path dataDirectory;
    private final DropwizardAppExtension<CustodyConfiguration> app;
    private final HttpClient http = HttpClient.newHttpClient();
    private String adminToken;

    private TestApp(TestDatabase database, Path dataDirectory, String configResource, ConfigOverride... extra) {
        this.database = database;
        this.dataDirectory = dataDirectory;
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.driverClass", database.driverClass()),
                ConfigOverride.config("database.url", database.url()),
                ConfigOverride.config("database.user", database.user()),
                ConfigOverride.config("database.password", database.password()),
                ConfigOverride.config("dataDirectory", dataDirectory.toString())));
        overrides.addAll(List.of(extra));
        this.app = new DropwizardAppExtension<>(CustodyApplication.class, configResource.startsWith("/") ? configResource : ResourceHelpers.resourceFilePath(configResource),
                overrides.toArray(new ConfigOverride[0]));
    }

    /** Starts the application with test-config.yml on a fresh database; {@code extra} overrides the configuration. */
    public static TestApp start(TestDatabase.Kind kind, ConfigOverride... extra) {
        return start(kind, "test-config.yml", extra);
    }

    /** Starts the application with the named test configuration (a resource, or an absolute file path) on a fresh database. */
    public static TestApp start(TestDatabase.Kind kind, String configResource, ConfigOverride... extra) {
        return start(TestDatabase.fresh(kind), configResource, extra);
    }

    /**
     * test-config.yml with more {@code auth:} settings ({@code "readBurst: 5"}), as a file in {@code directory}: for
     * numbers, which the configuration's strict parsing does not take from a {@link ConfigOverride}'s text.
     */
    public static String configWithAuth(Path directory, String... settings) {
        return configWith(directory, "auth", settings);
    }

    /**
     * test-config.yml with more settings in {@code section} ({@code "auth"}), or at the top level ({@code section}
     * null), as a file in {@code directory}: for numbers, which the configuration's strict parsing does not take from a
     * {@link ConfigOverride}'s text.
     */
    public static String configWith(Path directory, String section, String... settings) {
        try {
            String yaml = Files.readString(Path.of(ResourceHelpers.resourceFilePath("test-config.yml")));
            String indent = section == null ? "\n" : "\n  ";
            String added = String.join("", List.of(settings).stream().map(setting -> indent + setting).toList());
            Path config = directory.resolve("config.yml");
            Files.writeString(config, section == null ? yaml + added.substring(1) + "\n" : yaml.replace("\n" + section + ":", "\n" + section + ":" + added));
            return config.toAbsolutePath().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static TestApp start(TestDatabase database, String configResource, ConfigOverride... extra) {
        try {
            TestApp testApp = new TestApp(database, TempDirectories.create("custody-test"), configResource, extra);
            testApp.app.before();
            return testApp;
        } catch (Exception e) {
            throw new IllegalStateException("the application did not start", e);
        }
    }

    @Override
    public void close() {
        app.after();
        TempDirectories.delete(dataDirectory);
    }

    public TestDatabase database() {
        return database;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public DropwizardAppExtension<CustodyConfiguration> extension() {
        return app;
    }

    public static final String ADMIN_PASSWORD = "an invented administrator password";
    /** The password {@link #userWithRoles} creates a user with: one-time, as every new account's. */
    public static final String ONE_TIME_PASSWORD = "an invented one-time password";
    /** The password a user of {@link #userWithRoles} chooses at their first sign-in. */
    public static final String USER_PASSWORD = "a long test password";

    /** A session token for the initial administrator, who signs in for the first time with the one-time password file. */
    public synchronized String adminToken() {
        if (adminToken == null) {
            try {
                adminToken = firstSignIn("admin", Files.readString(dataDirectory.resolve("initial-admin-password")).strip(), ADMIN_PASSWORD);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return adminToken;
    }

    /**
     * A user's first sign-in, with the one-time password someone else chose: the session may only change it, so this
     * changes it to {@code newPassword} and signs in again.
     */
    public String firstSignIn(String username, String oneTime, String newPassword) {
        String limited = signIn(username, oneTime);
        Reply changed = send("PUT", "/api/v1/users/me/password", limited,
                json("currentPassword", oneTime, "newPassword", newPassword).getBytes(StandardCharsets.UTF_8), "application/json");
        if (changed.status() != 204) {
            throw new IllegalStateException("password change failed: " + changed);
        }
        return signIn(username, newPassword);
    }

    public String signIn(String username, String password) {
        Reply reply = post("/api/v1/sessions", null, json("username", username, "password", password));
        if (reply.status() != 201) {
            throw new IllegalStateException("sign-in failed: " + reply);
        }
        return reply.json().get("token").asText();
    }

    /**
     * Creates a user with the given roles (comma-separated), signs them in for the first time (changing the one-time
     * password to {@link #USER_PASSWORD}) and returns a token for them.
     */
    public String userWithRoles(String username, String roles) {
        String body = "{\"username\":\"" + username + "\",\"displayName\":\"Test " + username + "\",\"password\":\"" + ONE_TIME_PASSWORD + "\",\"roles\":["
                + String.join(",", java.util.Arrays.stream(roles.split(",")).map(r -> "\"" + r + "\"").toList()) + "]}";
        Reply created = post("/api/v1/users", adminToken(), body);
        if (created.status() != 201) {
            throw new IllegalStateException("user creation failed: " + created);
        }
        return firstSignIn(username, ONE_TIME_PASSWORD, USER_PASSWORD);
    }

    /** The id of the user a token belongs to. */
    public String userId(String token) {
        return get("/api/v1/users/me", token).json().get("user").get("id").asText();
    }

    /** An administrator grants the token's user sight of a case, without expiry. */
    public void grant(String caseId, String token) {
        Reply granted = post("/api/v1/cases/" + caseId + "/grants", adminToken(), json("userId", userId(token), "reason", "invented mandate"));
        if (granted.status() != 201) {
            throw new IllegalStateException("grant failed: " + granted);
        }
    }

    public Reply put(String path, String token, String body) {
        return send("PUT", path, token, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    public Reply delete(String path, String token, String body) {
        return send("DELETE", path, token, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null, "application/json");
    }

    public Reply post(String path, String token, String body) {
        return send("POST", path, token, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Reply patch(String path, String token, String ifMatch, String body) {
        TestSecrets.rememberFrom(body);
        HttpRequest.Builder request = request(path, token).method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/merge-patch+json");
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request);
    }

    public Reply send(String method, String path, String token, byte[] body, String contentType) {
        if (body != null) {
            TestSecrets.rememberFrom(new String(body, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = request(path, token).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /** The API's port on localhost. */
    public int port() {
        return app.getLocalPort();
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.getLocalPort() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            TestSecrets.rememberFrom(response.body());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Changes the database behind the service's back (to age a session, to tamper). */
    public void execute(String sql) {
        database.execute(sql);
    }

    /** Reads one number from the database directly (row counts, the log head). */
    public long queryLong(String sql) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one binary value from the database directly. */
    public byte[] queryBytes(String sql) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long logSize() {
        return queryLong("SELECT size FROM log_head");
    }

    /** Row counts of every table a write can touch, to show that a refused request wrote nothing. */
    public List<Long> footprint() {
        return List.of("log_entry", "log_payload", "log_case", "users", "sessions", "cases", "status_change", "evidence",
                "evidence_case", "custody_event", "case_grant", "exports", "export_case", "log_erasure", "log_erased_case").stream().map(table -> queryLong("SELECT COUNT(*) FROM " + table)).toList();
    }

    /** GET of a binary resource (an export bundle). */
    public BinaryReply download(String path, String token) {
        try {
            HttpResponse<byte[]> response = http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new BinaryReply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request to the admin port (127.0.0.1): health checks, metrics, tasks. */
    public HttpResponse<String> admin(String method, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs verify-log's checks on this app's database. */
    public org.custody.audit.Findings verifyLog() {
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(database.url(), database.user(), database.password())
                .installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
        ObjectMapper mapper = org.custody.web.Json.configure(io.dropwizard.jackson.Jackson.newObjectMapper());
        return new org.custody.audit.LogVerifier(jdbi, mapper, app.getConfiguration().getLog().getOrigin()).verify(java.util.Optional.empty());
    }

    public static String json(String... keysAndValues) {
        com.fasterxml.jackson.databind.node.ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return node.toString();
    }

    /** {@code body} compressed as a client sends it with {@code Content-Encoding: gzip}. */
    public static byte[] gzip(byte[] body) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(String body) {
        return gzip(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An HTTP answer with a binary body. */
    public record BinaryReply(int status, HttpHeaders headers, byte[] body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An HTTP answer. */
    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** This reply, when it has the status a set-up step needs; otherwise the set-up fails, naming what came back. */
        public Reply expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected " + expected + ": " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
