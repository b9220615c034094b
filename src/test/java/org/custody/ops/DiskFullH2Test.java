package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.custody.support.FullDiskFileSystem;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The embedded database's disk fills up under a running service (a file system that refuses writes as a full disk
 * does): writes fail with a 503 problem, the health check goes red, nothing is half-written, and once space is free
 * again the service recovers by itself. (PostgreSQL's "disk full" is SQL state 53100, the class the outage handling
 * already maps; see {@code DatabaseOutageTest} for a PostgreSQL server going away.)
 */
class DiskFullH2Test {
    @Test
    void whileTheDiskIsFullWritesGet503AndTheServiceRecoversOnceThereIsSpace() throws Exception {
        FullDiskFileSystem.install();
        Path directory = TempDirectories.create("custody-disk-full");
        TestDatabase database = new TestDatabase(TestDatabase.Kind.H2, "org.h2.Driver",
                "jdbc:h2:full:" + directory.resolve("custody") + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;LOCK_TIMEOUT=10000", "sa", "");
        try (TestApp app = TestApp.start(database, "test-config.yml")) {
            String worker = app.userWithRoles("disk.worker", "CASE_WORKER");
            String body = "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}";
            String caseId = app.post("/api/v1/cases", worker, body).json().get("id").asText();
            long casesBefore = app.queryLong("SELECT COUNT(*) FROM cases");
            long entriesBefore = app.logSize();

            FullDiskFileSystem.fill();
            try {
                for (int attempt = 0; attempt < 3; attempt++) {
                    TestApp.Reply write = app.post("/api/v1/cases", worker, body);
                    assertThat(write.status()).as(write.toString()).isEqualTo(503);
                    assertThat(write.header("Content-Type")).isEqualTo("application/problem+json");
                    assertThat(write.header("Retry-After")).isNotNull();
                    assertThat(write.body()).doesNotContain("Exception").doesNotContain("jdbc").doesNotContain("space");
                }
                java.net.http.HttpResponse<String> health = app.admin("GET", "/healthcheck");
                assertThat(health.statusCode()).isEqualTo(500);
                // whether or not the database has been opened again for reads by then, the ledger's check says writes fail
                assertThat(TestApp.MAPPER.readTree(health.body()).get("ledger").get("message").asText()).startsWith("changes are failing");
            } finally {
                FullDiskFileSystem.free();
            }

            TestApp.Reply recovered = Recovery.createCaseOnceBack(app, worker, body);
            assertThat(recovered.status()).as("recovered without a restart").isEqualTo(201);
            assertThat(app.queryLong("SELECT COUNT(*) FROM cases")).as("the refused writes left nothing behind").isEqualTo(casesBefore + 1);
            assertThat(app.logSize()).as("one entry, for the write after recovery").isEqualTo(entriesBefore + 1);
            assertThat(app.get("/api/v1/cases/" + caseId, worker).status()).isEqualTo(200);
            assertThat(app.admin("GET", "/healthcheck").statusCode()).isEqualTo(200);
            assertThat(app.verifyLog().problems()).isEmpty();
        } finally {
            TempDirectories.delete(directory);
        }
    }
}
