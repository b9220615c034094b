package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.custody.support.LogAfterTheFact;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The scale-out deployment: two service processes on one PostgreSQL database and one key directory, taking concurrent
 * writes for different cases and racing on the same case. One gapless log, one checkpoint per size, verify-log passes,
 * and If-Match holds across the instances (of two edits of one version, exactly one wins).
 */
class TwoInstancesPostgresTest {
    static final String ONE_TIME_PASSWORD = "an invented one-time two-instance password";
    static final String PASSWORD = "an invented two-instance password";
    static final int CLIENTS = 8;
    static final int CASES_PER_CLIENT = 25;
    static final int RACES = 30;

    @Test
    void twoInstancesShareOneLogWithoutGapsForksOrLostUpdates() throws Exception {
        Path directory = TempDirectories.create("custody-two-instances");
        TestDatabase database = TestDatabase.fresh(TestDatabase.Kind.POSTGRES);
        Map<String, String> environment = new HashMap<>(Map.of("CUSTODY_DB_DRIVER", database.driverClass(), "CUSTODY_DB_URL", database.url(),
                "CUSTODY_DB_USER", database.user(), "CUSTODY_DB_PASSWORD", database.password(), "CUSTODY_LOG_ORIGIN", "custody.test/two",
                "CUSTODY_NEW_PASSWORD", ONE_TIME_PASSWORD));
        Path output = directory.resolve("service.log");
        try {
            assertThat(ServiceProcess.command(directory, environment, output, "add-user", "--username", "two.worker",
                    "--display-name", "Two Worker", "--roles", "CASE_WORKER")).as(Files.readString(output)).isZero();
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            int lostRaces;
            try (ServiceProcess first = ServiceProcess.start(directory, environment, output);
                 ServiceProcess second = ServiceProcess.start(directory, environment, output)) {
                String token = first.firstSignIn("two.worker", ONE_TIME_PASSWORD, PASSWORD);
                List<ServiceProcess> instances = List.of(first, second);

                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 2);
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    running.add(clients.submit(() -> {
                        for (int n = 0; n < CASES_PER_CLIENT; n++) {
                            ServiceProcess creating = instances.get((client + n) % 2);
                            TestApp.Reply created = creating.send("POST", "/api/v1/cases", token,
                                    "{\"person\":{\"fullName\":\"Invented Person " + client + "-" + n + "\"},\"category\":\"UNKNOWN\"}").expect(201);
                            String caseId = created.json().get("id").asText();
                            acknowledged.put(caseId, Long.parseLong(created.header("Log-Index")));
                            instances.get((client + n + 1) % 2).send("POST", "/api/v1/cases/" + caseId + "/status-changes", token,
                                    "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\"}").expect(201);
                            // reads, each recorded by the instance that answers it
                            for (ServiceProcess reading : instances) {
                                reading.send("GET", "/api/v1/cases/" + caseId, token, null).expect(200);
                            }
                        }
                        return null;
                    }));
                }
                lostRaces = race(first, second, token, clients);
                for (Future<?> client : running) {
                    client.get();
                }
                clients.shutdown();
                assertThat(first.stop()).isIn(0, 143);
                assertThat(second.stop()).isIn(0, 143);
            }
            assertThat(lostRaces).as("each race has exactly one loser, answered 412").isEqualTo(RACES);

            // verify-log checks every checkpoint either instance signed against the one tree
            LogAfterTheFact.check(database, "custody.test/two", acknowledged);
            Jdbi.create(database.url(), database.user(), database.password()).useHandle(handle -> {
                assertThat(handle.createQuery("SELECT COUNT(*) FROM cases").mapTo(Long.class).one()).isEqualTo((long) CLIENTS * CASES_PER_CLIENT + 1);
                assertThat(handle.createQuery("SELECT COUNT(*) FROM status_change").mapTo(Long.class).one()).isEqualTo((long) CLIENTS * CASES_PER_CLIENT);
                Map<UUID, Long> readsRecorded = handle.createQuery("SELECT subject_id FROM log_entry WHERE action = 'case.viewed'").mapTo(UUID.class)
                        .stream().filter(caseId -> acknowledged.containsKey(caseId.toString()))
                        .collect(Collectors.groupingBy(caseId -> caseId, Collectors.counting()));
                assertThat(readsRecorded).as("each answered read recorded once").hasSize(acknowledged.size()).allSatisfy((caseId, reads) -> assertThat(reads).isEqualTo(2));
            });
        } finally {
            TempDirectories.delete(directory);
        }
    }

    /** Edits one case from both instances at once with the same If-Match, {@link #RACES} times; returns how many lost with 412. */
    private static int race(ServiceProcess first, ServiceProcess second, String token, ExecutorService pool) throws Exception {
        String caseId = first.send("POST", "/api/v1/cases", token, "{\"person\":{\"fullName\":\"Invented Raced\"},\"category\":\"UNKNOWN\"}").expect(201)
                .json().get("id").asText();
        int lost = 0;
        for (int version = 1; version <= RACES; version++) {
            CyclicBarrier start = new CyclicBarrier(2);
            String ifMatch = "\"" + version + "\"";
            List<Future<Integer>> edits = new ArrayList<>();
            for (ServiceProcess instance : List.of(first, second)) {
                edits.add(pool.submit(() -> {
                    start.await();
                    // a text of its own each time: a patch that changes nothing keeps the version, and would not race
                    return instance.patch("/api/v1/cases/" + caseId, token, ifMatch,
                            "{\"summary\":\"edited by " + instance.hashCode() + " at version " + ifMatch.replace("\"", "") + "\"}").status();
                }));
            }
            List<Integer> statuses = List.of(edits.get(0).get(), edits.get(1).get());
            assertThat(statuses).as("race for version %d", version).containsExactlyInAnyOrder(200, 412);
            lost += statuses.contains(412) ? 1 : 0;
        }
        assertThat(Set.of(first.send("GET", "/api/v1/cases/" + caseId, token, null).header("ETag"))).containsExactly("\"" + (RACES + 1) + "\"");
        return lost;
    }
}
