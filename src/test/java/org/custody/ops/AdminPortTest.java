package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The admin port is for operators: health checks that go red when the signing key is gone or the log is damaged, and
 * metrics for writes, log appends, proofs and exports.
 */
class AdminPortTest {
    @Test
    void healthChecksGoRedWithoutTheSigningKeyOrWithADamagedLogAndRecover() throws Exception {
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2)) {
            assertThat(app.post("/api/v1/cases", app.userWithRoles("health.worker", "CASE_WORKER"),
                    "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}").status()).isEqualTo(201);
            HttpResponse<String> healthy = health(app);
            assertThat(healthy.statusCode()).isEqualTo(200);
            JsonNode checks = TestApp.MAPPER.readTree(healthy.body());
            assertThat(checks.get("signing").get("healthy").asBoolean()).isTrue();
            assertThat(checks.get("signing").get("message").asText()).contains("verifies");
            assertThat(checks.get("log").get("healthy").asBoolean()).isTrue();
            assertThat(checks.get("ledger").get("healthy").asBoolean()).isTrue();
            assertThat(checks.get("append-only").get("healthy").asBoolean()).isTrue();
            assertThat(checks.get("second-factors").get("healthy").asBoolean()).isTrue();

            Path secondFactorKey = app.dataDirectory().resolve("keys/second-factors.key");
            Path secondFactorAside = secondFactorKey.resolveSibling("second-factors.moved-away");
            Files.move(secondFactorKey, secondFactorAside);
            HttpResponse<String> withoutSecondFactors = health(app);
            assertThat(withoutSecondFactors.statusCode()).isEqualTo(500);
            assertThat(TestApp.MAPPER.readTree(withoutSecondFactors.body()).get("second-factors").get("message").asText())
                    .isEqualTo("could not read the second-factor key file " + secondFactorKey);
            Files.move(secondFactorAside, secondFactorKey);
            assertThat(health(app).statusCode()).isEqualTo(200);

            Path key;
            try (Stream<Path> files = Files.list(app.dataDirectory().resolve("keys"))) {
                key = files.filter(file -> file.toString().endsWith(".pem")).findFirst().orElseThrow();
            }
            Path aside = key.resolveSibling("moved-away");
            Files.move(key, aside);
            HttpResponse<String> keyless = health(app);
            assertThat(keyless.statusCode()).isEqualTo(500);
            assertThat(TestApp.MAPPER.readTree(keyless.body()).get("signing").get("message").asText())
                    .startsWith("the current log key").contains("cannot be read");
            Files.move(aside, key);
            assertThat(health(app).statusCode()).isEqualTo(200);

            // copied back from a backup with the default umask: readable by everyone on the server
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
            HttpResponse<String> exposed = health(app);
            assertThat(exposed.statusCode()).isEqualTo(500);
            assertThat(TestApp.MAPPER.readTree(exposed.body()).get("signing").get("message").asText())
                    .startsWith("the private key file of log key").endsWith("may be read by others than its owner (rw-r--r--): chmod 600 it");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            assertThat(health(app).statusCode()).isEqualTo(200);

            // a checkpoint whose root is not the head's: what a restored older head under newer checkpoints would look like
            app.execute("DROP TRIGGER log_head_append_only");
            app.execute("UPDATE log_head SET root = X'" + "00".repeat(32) + "'");
            HttpResponse<String> forked = health(app);
            assertThat(forked.statusCode()).isEqualTo(500);
            assertThat(TestApp.MAPPER.readTree(forked.body()).get("signing").get("message").asText())
                    .isEqualTo("the latest checkpoint's root is not the log head's root at size " + app.logSize());
            assertThat(TestApp.MAPPER.readTree(forked.body()).get("append-only").get("message").asText())
                    .isEqualTo("log_head: no trigger refuses UPDATE; log_head: no trigger refuses DELETE");
        }
    }

    @Test
    void metricsCountWritesAppendsProofsAndExports() throws Exception {
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2)) {
            String worker = app.userWithRoles("metrics.worker", "CASE_WORKER");
            String caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}")
                    .json().get("id").asText();
            assertThat(app.get("/api/v1/log/proofs/consistency?from=1&to=" + app.logSize(), null).status()).isEqualTo(200);
            String export = app.post("/api/v1/exports", worker, "{\"caseIds\":[\"" + caseId + "\"],\"purpose\":\"invented\"}").json().get("id").asText();
            assertThat(app.download("/api/v1/exports/" + export + "/bundle", worker).status()).isEqualTo(200);

            JsonNode metrics = TestApp.MAPPER.readTree(app.admin("GET", "/metrics").body());
            assertThat(metrics.get("meters").get("custody.log.appends").get("count").asLong()).isEqualTo(app.logSize());
            assertThat(metrics.get("timers").get("custody.ledger.batches").get("count").asLong()).isPositive();
            assertThat(metrics.get("histograms").get("custody.ledger.batch-size").get("count").asLong()).isPositive();
            assertThat(metrics.get("gauges").get("custody.ledger.queued").get("value").asInt()).isZero();
            assertThat(metrics.get("timers").get("custody.exports.bundle-writes").get("count").asLong()).isEqualTo(1);
            assertThat(metrics.get("timers").get("org.custody.log.LogResource.consistency").get("count").asLong()).isEqualTo(1);
            assertThat(metrics.get("timers").get("org.custody.export.ExportResource.create").get("count").asLong()).isEqualTo(1);
        }
    }

    private static HttpResponse<String> health(TestApp app) {
        return app.admin("GET", "/healthcheck");
    }
}
