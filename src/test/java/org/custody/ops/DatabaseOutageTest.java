package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running service (its own PostgreSQL server, stopped and started again on the same
 * data): writes and reads fail with a 503 problem, the health check goes red, nothing is half-written, and the service
 * recovers by itself when the database returns.
 */
class DatabaseOutageTest {
    @Test
    void whileTheDatabaseIsDownRequestsGet503AndTheServiceRecoversByItself() throws Exception {
        Path directory = TempDirectories.create("custody-outage");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgres postgres = start(directory, port);
        try {
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE custody_outage");
            }
            TestDatabase database = new TestDatabase(TestDatabase.Kind.POSTGRES, "org.postgresql.Driver", postgres.getJdbcUrl("postgres", "custody_outage"),
                    "postgres", "postgres");
            try (TestApp app = TestApp.start(database, "test-config.yml")) {
                String worker = app.userWithRoles("outage.worker", "CASE_WORKER");
                String body = "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}";
                String caseId = app.post("/api/v1/cases", worker, body).json().get("id").asText();
                long entriesBefore = app.logSize();

                postgres.close();
                TestApp.Reply write = app.post("/api/v1/cases", worker, body);
                assertThat(write.status()).as(write.toString()).isEqualTo(503);
                assertThat(write.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(write.header("Retry-After")).isNotNull();
                assertThat(write.body()).doesNotContain("Exception").doesNotContain("jdbc");
                TestApp.Reply read = app.get("/api/v1/cases/" + caseId, worker);
                assertThat(read.status()).as(read.toString()).isEqualTo(503);
                assertThat(health(app).statusCode()).isEqualTo(500);

                postgres = start(directory, port);
                TestApp.Reply recovered = Recovery.createCaseOnceBack(app, worker, body);
                assertThat(recovered.status()).as("recovered without a restart").isEqualTo(201);
                assertThat(app.get("/api/v1/cases/" + caseId, worker).status()).isEqualTo(200);
                assertThat(health(app).statusCode()).isEqualTo(200);
                assertThat(app.queryLong("SELECT COUNT(*) FROM cases")).as("the refused write left nothing behind").isEqualTo(2);
                assertThat(app.logSize()).isGreaterThanOrEqualTo(entriesBefore + 1);
                assertThat(app.verifyLog().problems()).isEmpty();
            }
        } finally {
            postgres.close();
            TempDirectories.delete(directory);
        }
    }

    private static EmbeddedPostgres start(Path directory, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(directory.resolve("pgdata")).setCleanDataDirectory(false).setPort(port).start();
    }

    private static HttpResponse<String> health(TestApp app) {
        return app.admin("GET", "/healthcheck");
    }
}
