package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.custody.support.LogAfterTheFact;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Power cuts, as near as a test gets: the service runs as its own process with the shipped config.yml, takes writes
 * from concurrent clients, and is killed with SIGKILL mid-load, several times, then stopped with SIGTERM under load. Every write that was answered 2xx must
 * be there afterwards, the log must be gapless, and verify-log (which replays the log against the tables, so a
 * half-applied write shows) must pass.
 */
abstract class CrashContract {
    static final String ONE_TIME_PASSWORD = "an invented one-time crash-test password";
    static final String PASSWORD = "an invented crash-test password";
    static final int ROUNDS = 3;
    static final int CLIENTS = 8;

    /** The environment that points config.yml at the database; empty for the embedded default. */
    abstract Map<String, String> databaseEnvironment(Path directory);

    /** The same database, for checking it directly once the service is gone. */
    abstract TestDatabase database(Path directory);

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAndTheLogStaysWhole() throws Exception {
        Path directory = TempDirectories.create("custody-crash");
        try {
            Map<String, String> environment = new HashMap<>(databaseEnvironment(directory));
            environment.put("CUSTODY_LOG_ORIGIN", "custody.test/crash");
            environment.put("CUSTODY_NEW_PASSWORD", ONE_TIME_PASSWORD);
            Path output = directory.resolve("service.log");
            assertThat(ServiceProcess.command(directory, environment, output, "add-user", "--username", "crash.worker",
                    "--display-name", "Crash Worker", "--roles", "CASE_WORKER")).as(Files.readString(output)).isZero();

            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            List<String> tokens = new ArrayList<>();
            // the last round ends with SIGTERM instead: a graceful stop under load must lose nothing either
            for (int round = 1; round <= ROUNDS + 1; round++) {
                boolean graceful = round == ROUNDS + 1;
                int before = acknowledged.size();
                try (ServiceProcess service = ServiceProcess.start(directory, environment, output)) {
                    String token = round == 1 ? service.firstSignIn("crash.worker", ONE_TIME_PASSWORD, PASSWORD)
                            : service.signIn("crash.worker", PASSWORD);
                    tokens.add(token);
                    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                    AtomicBoolean killed = new AtomicBoolean();
                    List<Future<?>> running = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        running.add(clients.submit(() -> write(service, token, acknowledged, killed)));
                    }
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (acknowledged.size() < before + 150 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    killed.set(true);
                    if (graceful) {
                        assertThat(service.stop()).as("exit status of a graceful stop").isIn(0, 143);
                    } else {
                        service.kill();
                    }
                    for (Future<?> client : running) {
                        client.get();
                    }
                    clients.shutdown();
                }
                assertThat(acknowledged.size()).as("round %d acknowledged writes before the kill", round).isGreaterThan(before);
            }

            // on H2 the database was closed by H2's own shutdown hook while the ledger still wrote, failing queued writes
            assertThat(Files.readString(output)).as("the graceful stop closed the database only after the ledger had written what was queued")
                    .doesNotContain("not committed").doesNotContain("Closing the ledger's connection failed");
            LogAfterTheFact.check(database(directory), "custody.test/crash", acknowledged);

            try (ServiceProcess restarted = ServiceProcess.start(directory, environment, output)) {
                String token = restarted.signIn("crash.worker", PASSWORD);
                String anyCase = acknowledged.keySet().iterator().next();
                assertThat(restarted.send("GET", "/api/v1/cases/" + anyCase, token, null).status()).isEqualTo(200);
                assertThat(restarted.stop()).as("a graceful stop after recovery").isIn(0, 143);
            }
            String logs = Files.readString(output);
            assertThat(logs).as("the service logged its requests").contains("POST /api/v1/cases");
            assertThat(logs).as("no password, token or name of a person in the service's logs").doesNotContain(PASSWORD)
                    .doesNotContain(ONE_TIME_PASSWORD).doesNotContain("Invented Crash Person");
            tokens.forEach(token -> assertThat(logs).doesNotContain(token));
        } finally {
            TempDirectories.delete(directory);
        }
    }

    /** Creates cases and a status change for each, until the service dies; remembers what was acknowledged. */
    private static Void write(ServiceProcess service, String token, Map<String, Long> acknowledged, AtomicBoolean killed) {
        int n = 0;
        while (!killed.get()) {
            try {
                TestApp.Reply created = service.send("POST", "/api/v1/cases", token,
                        "{\"person\":{\"fullName\":\"Invented Crash Person " + n++ + "\"},\"category\":\"CIVILIAN_DETAINEE\"}");
                if (created.status() == 503 && killed.get()) {
                    return null; // the service is stopping and says so
                }
                if (created.status() != 201) {
                    throw new IllegalStateException("unexpected answer: " + created);
                }
                String caseId = created.json().get("id").asText();
                acknowledged.put(caseId, Long.parseLong(created.header("Log-Index")));
                TestApp.Reply changed = service.send("POST", "/api/v1/cases/" + caseId + "/status-changes", token,
                        "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"reason\":\"invented\"}");
                if (changed.status() != 201 && !(changed.status() == 503 && killed.get())) {
                    throw new IllegalStateException("unexpected answer: " + changed);
                }
            } catch (IOException e) {
                if (!killed.get()) {
                    throw new IllegalStateException("the service failed before it was killed", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
