package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The PostgreSQL driver over a server's Unix-domain socket, on a real server started with a socket directory of its
 * own: the driver's traffic both ways, its read timeouts, a wrong socket file, and the service itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnixSocketFactoryTest {
    private Path sockets;
    private EmbeddedPostgres server;
    private TestDatabase database;
    private final ExecutorService timeouts = Executors.newSingleThreadExecutor();

    @BeforeAll
    void start() throws Exception {
        sockets = TempDirectories.create("custody-sockets");
        server = EmbeddedPostgres.builder().setServerConfig("unix_socket_directories", sockets.toString()).start();
        database = TestDatabase.freshIn(server).overUnixSocket(sockets, server.getPort());
    }

    @AfterAll
    void stop() throws Exception {
        timeouts.shutdownNow();
        server.close();
        TempDirectories.delete(sockets);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.url(), database.user(), database.password());
    }

    /** The server sees a Unix-socket client (no client address), and four MiB go each way intact, well past any buffer. */
    @Test
    void theDriverTalksToTheServerThroughItsSocketFile() throws Exception {
        byte[] sent = new byte[4 << 20];
        new java.util.Random(7).nextBytes(sent);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet client = statement.executeQuery("SELECT inet_client_addr() IS NULL, current_setting('port')")) {
                assertThat(client.next()).isTrue();
                assertThat(client.getBoolean(1)).as("a Unix-socket connection has no client address").isTrue();
                assertThat(client.getInt(2)).isEqualTo(server.getPort());
            }
            try (PreparedStatement echo = connection.prepareStatement("SELECT sha256(?), ?")) {
                echo.setBytes(1, sent);
                echo.setBytes(2, sent);
                try (ResultSet back = echo.executeQuery()) {
                    assertThat(back.next()).isTrue();
                    assertThat(HexFormat.of().formatHex(back.getBytes(1))).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sent)));
                    assertThat(back.getBytes(2)).isEqualTo(sent);
                }
            }
        }
    }

    /** A read timeout (the driver's socketTimeout, or the one isValid sets) ends a statement that runs longer. */
    @Test
    void aReadTimeoutEndsAStatementThatRunsLonger() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setNetworkTimeout(timeouts, 300);
            long started = System.nanoTime();
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(5)")).isInstanceOf(SQLException.class);
            assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds until the timeout").isBetween(250L, 3_000L);
            assertThat(connection.isClosed()).as("the driver closes a connection whose read timed out").isTrue();
        }
    }

    /** With a timeout set and lifted again, the connection goes on working: a timed wait, then blocking reads again. */
    @Test
    void aConnectionWorksOnAfterItsTimeoutIsSetAndLifted() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setNetworkTimeout(timeouts, 2_000);
            assertThat(one(statement, "SELECT TRUE FROM pg_sleep(0.2)")).isTrue();
            connection.setNetworkTimeout(timeouts, 0);
            assertThat(one(statement, "SELECT TRUE FROM pg_sleep(0.2)")).isTrue();
            assertThat(connection.isValid(1)).as("the pool's check sets a timeout and lifts it").isTrue();
            assertThat(one(statement, "SELECT TRUE")).isTrue();
        }
    }

    private static boolean one(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).isTrue();
            return row.getBoolean(1);
        }
    }

    /** A socket file that is not there fails the connection with the file named, not with anything half-open. */
    @Test
    void aWrongSocketFileFailsTheConnectionAndSaysWhich() {
        Path missing = sockets.resolve(".s.PGSQL.1");
        String url = "jdbc:postgresql://localhost/postgres?" + TestDatabase.unixSocketParameters(missing);
        assertThatThrownBy(() -> DriverManager.getConnection(url, database.user(), database.password()))
                .isInstanceOf(SQLException.class)
                .satisfies(failure -> assertThat(causes(failure)).contains("could not connect to the database's socket " + missing));
    }

    private static String causes(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /** The service over the socket: a case written, read and audited, its log verified against the tables. */
    @Test
    void theServiceRunsOverTheSocket() {
        try (TestApp app = TestApp.start(database, "test-config.yml")) {
            String admin = app.adminToken();
            String worker = app.userWithRoles("socket.worker", "CASE_WORKER");
            String caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}")
                    .expect(201).json().get("id").asText();
            assertThat(app.get("/api/v1/cases/" + caseId, worker).expect(200).json().get("person").get("fullName").asText()).isEqualTo("Invented Person");
            List<String> actions = new ArrayList<>();
            app.get("/api/v1/cases/" + caseId + "/access-log", admin).expect(200).json().get("items")
                    .forEach(item -> actions.add(item.get("entry").get("action").asText()));
            assertThat(actions).contains("case.viewed");
            assertThat(app.verifyLog().problems()).isEmpty();
        }
    }
}
