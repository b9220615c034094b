package org.custody.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.access.Totp;
import org.custody.log.Ledger;
import org.custody.support.KeepAliveConnection;
import org.custody.support.ProcessTreeCpu;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.custody.support.ThreadSchedule;
import org.junit.jupiter.api.Test;

/**
 * The service under load as it is deployed: its own JVM with the shipped config.yml (H2 file in its working directory,
 * or PostgreSQL), driven over HTTP by 16 concurrent clients in this JVM: case creation, status changes, case reads and
 * inclusion proofs, one phase after the other; throughput, p50 and p99 of each, and the service's peak resident memory.
 * Run it with {@code mvn -B test -Pbench -Dtest=LoadBenchmark} ({@code -Dbench.databases=h2,postgres},
 * {@code -Dbench.seconds=60}, the default; {@code -Dbench.phases=reads} measures only the creations and the reads); results on standard output and in target/load-bench-results.md.
 * The service reaches PostgreSQL, on the same machine, over its Unix-domain socket, as README's "Configuration and
 * PostgreSQL" advises; {@code -Dbench.postgresSocket=tcp} measures the loopback TCP connection instead.
 */
class LoadBenchmark {
    static final int CLIENTS = 16;
    /** Phases shorter than a minute measure the JIT compilers at work more than the service (20 s: half the rate). */
    static final int SECONDS = Integer.getInteger("bench.seconds", 60);
    static final boolean STATEMENTS = Boolean.getBoolean("bench.postgresStatements");
    static final boolean POSTGRES_OVER_TCP = postgresOverTcp(System.getProperty("bench.postgresSocket", "unix"));
    /** The phases measured after the case creations (which every later phase needs, so they always run). */
    static final Set<String> PHASES = phases(System.getProperty("bench.phases", "statuses,reads,proofs"));
    static final String PASSWORD = "an invented benchmark password";
    static final String ONE_TIME_PASSWORD = "an invented one-time benchmark password";
    /** This JVM's CPU time: the load generator shares the two cores with the service, so its cost is reported too. */
    private static final com.sun.management.OperatingSystemMXBean CLIENT_CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    @Test
    void measure() throws Exception {
        List<String> report = new ArrayList<>();
        report.add("Machine: " + Machine.describe()
                + "; service: its own JVM, -Xmx448m, shipped config.yml; " + CLIENTS + " clients (" + System.getProperty("bench.client", "plain") + " HTTP), " + SECONDS + " s per phase");
        for (String database : System.getProperty("bench.databases", "h2,postgres").split(",")) {
            measure(database.strip(), report);
        }
        Files.write(Path.of("target/load-bench-results.md"), report);
        report.forEach(System.out::println);
    }

    private void measure(String database, List<String> report) throws Exception {
        Path directory = TempDirectories.create("custody-load");
        // the read phase is one user's reads, thousands a second: past any read limit a person needs
        Map<String, String> environment = new HashMap<>(Map.of("CUSTODY_LOG_ORIGIN", "custody.test/load", "CUSTODY_READS_PER_SECOND", "0"));
        Path sockets = directory.resolve("sockets");
        Map<String, String> serverSettings = new HashMap<>(Map.of("unix_socket_directories", sockets.toString()));
        if (STATEMENTS) {
            serverSettings.put("shared_preload_libraries", "pg_stat_statements");
        }
        if (database.equals("postgres")) {
            Files.createDirectories(sockets);
        }
        EmbeddedPostgres server = database.equals("postgres") ? TestDatabase.durablePostgres(serverSettings) : null;
        PostgresSide postgresSide = null;
        String h2Settings = System.getProperty("bench.h2Settings", "");
        if (server == null && !h2Settings.isEmpty()) {
            environment.put("CUSTODY_DB_URL", ShippedH2.url() + h2Settings);
        }
        if (server != null) {
            TestDatabase postgres = POSTGRES_OVER_TCP ? TestDatabase.freshIn(server) : TestDatabase.freshIn(server).overUnixSocket(sockets, server.getPort());
            environment.putAll(Map.of("CUSTODY_DB_DRIVER", postgres.driverClass(), "CUSTODY_DB_URL", postgres.url(),
                    "CUSTODY_DB_USER", postgres.user(), "CUSTODY_DB_PASSWORD", postgres.password()));
            postgresSide = PostgresSide.of(postgres);
        }
        Path output = directory.resolve("service.log");
        try {
            try (ServiceProcess service = ServiceProcess.start(directory, environment, output)) {
                String admin = administrator(service, directory);
                service.send("POST", "/api/v1/users", admin, "{\"username\":\"load.worker\",\"displayName\":\"Load Worker\",\"password\":\""
                        + ONE_TIME_PASSWORD + "\",\"roles\":[\"CASE_WORKER\"]}").expect(201);
                String worker = service.firstSignIn("load.worker", ONE_TIME_PASSWORD, PASSWORD);
                report.add("");
                report.add("**" + database + (server == null ? "" : " (embedded, fsync, synchronous_commit and full_page_writes on; the service connected over "
                        + (POSTGRES_OVER_TCP ? "loopback TCP" : "its Unix socket") + ")") + "**");
                report.add(Yardstick.measure().describe("before the phases (the service started and idle)"));
                try (Client http = Client.of(service)) {
                    measurePhases(service, postgresSide, http, worker, admin, report);
                }
                report.add(String.format("- service peak resident memory (VmHWM): **%.0f MiB**", service.peakResidentBytes() / 1048576.0));
                report.add(Yardstick.measure().describe("after the phases"));
                service.stop(); // gracefully, so that a flight recording asked for with -Dbench.serviceJvmArgs is written
            }
        } finally {
            TempDirectories.delete(directory);
            if (server != null) {
                server.close();
            }
        }
    }

    /** A misspelt phase would be left out without a word: refused instead. */
    private static Set<String> phases(String names) {
        Set<String> phases = Set.of(names.split(","));
        if (!Set.of("statuses", "reads", "proofs").containsAll(phases)) {
            throw new IllegalArgumentException("-Dbench.phases takes statuses, reads and proofs, not " + names);
        }
        return phases;
    }

    private static boolean postgresOverTcp(String socket) {
        return switch (socket) {
            case "unix" -> false;
            case "tcp" -> true;
            default -> throw new IllegalArgumentException("-Dbench.postgresSocket takes unix or tcp, not " + socket);
        };
    }

    /**
     * The phases, one after the other: creations, then status changes and reads of the cases created, then proofs; those
     * after the creations as {@code -Dbench.phases} asks.
     */
    private static void measurePhases(ServiceProcess service, PostgresSide postgres, Client http, String worker, String admin, List<String> report)
            throws Exception {
        List<List<String>> owned = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            owned.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        AtomicInteger counter = new AtomicInteger();
        report.add(phase(service, postgres, http, "case creation (POST /api/v1/cases)", client -> {
            TestApp.Reply created = http.send(client, "POST", "/api/v1/cases", worker,
                    "{\"person\":{\"fullName\":\"Invented Person " + counter.incrementAndGet() + "\"},\"category\":\"PRISONER_OF_WAR\"}").expect(201);
            owned.get(client).add(created.json().get("id").asText());
        }));
        int[] turn = new int[CLIENTS];
        if (PHASES.contains("statuses")) {
            report.add(phase(service, postgres, http, "status changes (POST /api/v1/cases/{id}/status-changes)", client -> {
                List<String> cases = owned.get(client);
                int n = turn[client]++;
                String caseId = cases.get(n % cases.size());
                String status = (n / cases.size()) % 2 == 0 ? "DETENTION_CONFIRMED" : "WHEREABOUTS_UNKNOWN";
                http.send(client, "POST", "/api/v1/cases/" + caseId + "/status-changes", worker,
                        "{\"status\":\"" + status + "\",\"effectiveDate\":\"2021\"}").expect(201);
            }));
        }
        if (PHASES.contains("reads")) {
            report.add(phase(service, postgres, http, "case reads (GET /api/v1/cases/{id}, each recorded as case.viewed)", client -> {
                List<String> cases = owned.get(client);
                http.send(client, "GET", "/api/v1/cases/" + cases.get(turn[client]++ % cases.size()), worker, null).expect(200);
            }));
        }
        if (!PHASES.contains("proofs")) {
            return;
        }
        long size = Long.parseLong(service.send("GET", "/api/v1/log/checkpoint", null, null).body().lines().skip(1).findFirst().orElseThrow());
        report.add(phase(service, postgres, http, "inclusion proofs (GET /api/v1/log/proofs/inclusion, tree of " + size + ")", client -> {
            long index = java.util.concurrent.ThreadLocalRandom.current().nextLong(size);
            http.send(client, "GET", "/api/v1/log/proofs/inclusion?index=" + index + "&treeSize=" + size, admin, null).expect(200);
        }));
    }

    /** The initial administrator's first day, as the shipped config demands: new password, authenticator, sign-in with a code. */
    private static String administrator(ServiceProcess service, Path directory) throws Exception {
        String oneTime = Files.readString(directory.resolve("data/initial-admin-password")).strip();
        String enrolling = service.firstSignIn("admin", oneTime, PASSWORD);
        JsonNode enrolment = service.send("POST", "/api/v1/users/me/totp", enrolling, null).expect(201).json();
        byte[] secret = Totp.fromBase32(enrolment.get("secret").asText());
        long step = Totp.step(Instant.now());
        service.send("POST", "/api/v1/users/me/totp/confirmation", enrolling, TestApp.json("code", Totp.code(secret, step, "HmacSHA1", 6))).expect(204);
        TestApp.Reply signedIn = service.send("POST", "/api/v1/sessions", null, TestApp.json("username", "admin", "password", PASSWORD,
                "totpCode", Totp.code(secret, step + 1, "HmacSHA1", 6)));
        return signedIn.expect(201).json().get("token").asText();
    }

    /**
     * How the clients talk to the service: each over its own kept-open connection ({@code -Dbench.client=plain}, the
     * default: {@link KeepAliveConnection}), or through the JDK's HttpClient ({@code -Dbench.client=jdk}), which costs
     * the shared cores more.
     */
    interface Client extends AutoCloseable {
        TestApp.Reply send(int client, String method, String path, String token, String body) throws Exception;

        @Override
        default void close() throws java.io.IOException {
        }

        /** Connections the clients have opened so far; the JDK's client does not say, and counts none. */
        default long connectionsOpened() {
            return 0;
        }

        static Client of(ServiceProcess service) {
            String kind = System.getProperty("bench.client", "plain");
            if (kind.equals("jdk")) {
                return (client, method, path, token, body) -> service.send(method, path, token, body);
            }
            if (!kind.equals("plain")) {
                throw new IllegalArgumentException("bench.client is plain or jdk, not " + kind);
            }
            KeepAliveConnection[] connections = new KeepAliveConnection[CLIENTS];
            for (int c = 0; c < CLIENTS; c++) {
                connections[c] = new KeepAliveConnection("localhost", service.port());
            }
            return new Client() {
                @Override
                public TestApp.Reply send(int client, String method, String path, String token, String body) throws Exception {
                    return connections[client].send(method, path, token, body);
                }

                @Override
                public long connectionsOpened() {
                    return java.util.Arrays.stream(connections).mapToLong(KeepAliveConnection::opened).sum();
                }

                @Override
                public void close() throws java.io.IOException {
                    for (KeepAliveConnection connection : connections) {
                        connection.close();
                    }
                }
            };
        }
    }

    /** One request of a phase, for one client (0 to 15). */
    interface Request {
        void send(int client) throws Exception;
    }

    /**
     * Runs {@code request} from every client for a warm-up of a quarter of the phase, then for the phase; reports the
     * measured part, with what it cost the service: its CPU time per request (all its threads: requests, ledger writer,
     * JIT compiler, garbage collector) and the ledger's batches.
     */
    private static String phase(ServiceProcess service, PostgresSide postgres, Client http, String name, Request request) throws Exception {
        run(request, Math.max(1, SECONDS / 4), new long[1], new AtomicInteger());
        long[] latencies = new long[2_000_000];
        AtomicInteger done = new AtomicInteger();
        if (postgres != null) {
            postgres.resetStatements();
        }
        JsonNode metricsBefore = service.metrics();
        long databaseCpuBefore = postgres == null ? 0 : postgres.cpu().nanos();
        long cpuBefore = service.cpuNanos();
        long clientCpuBefore = CLIENT_CPU.getProcessCpuTime();
        long connectionsBefore = http.connectionsOpened();
        MachineCpu machineBefore = MachineCpu.now();
        ThreadSchedule writerBefore = service.threadSchedule(Ledger.WRITER_THREAD);
        long began = System.nanoTime();
        run(request, SECONDS, latencies, done);
        long elapsed = System.nanoTime() - began;
        ThreadSchedule writerAfter = service.threadSchedule(Ledger.WRITER_THREAD);
        double seconds = elapsed / 1e9;
        long cpu = service.cpuNanos() - cpuBefore;
        long clientCpu = CLIENT_CPU.getProcessCpuTime() - clientCpuBefore;
        String databaseCpu = postgres == null ? "" : String.format(", PostgreSQL's processes %.2f ms", (postgres.cpu().nanos() - databaseCpuBefore) / 1e6 / done.get());
        MachineCpu machineAfter = MachineCpu.now();
        String machineBusy = machineAfter == null ? "" : machineAfter.describeSince(machineBefore);
        // each plain client opens its connection once; more means the service closed connections under load
        long reconnections = http.connectionsOpened() - connectionsBefore;
        JsonNode metricsAfter = service.metrics();
        long batches = metricsAfter.at("/timers/custody.ledger.batches/count").asLong() - metricsBefore.at("/timers/custody.ledger.batches/count").asLong();
        long appends = metricsAfter.at("/meters/custody.log.appends/count").asLong() - metricsBefore.at("/meters/custody.log.appends/count").asLong();
        long[] sorted = Arrays.copyOf(latencies, Math.min(done.get(), latencies.length));
        Arrays.sort(sorted);
        return String.format("- %s: **%,.0f/s**, p50 %.1f ms, p99 %.1f ms (%,d requests); service CPU %.2f ms per request (%.0f %% of %d cores)%s, load generator %.2f ms%s; "
                        + "ledger: %,d batches of %.1f changes on average%s%s%s", name, done.get() / seconds,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, done.get(), cpu / 1e6 / done.get(),
                100.0 * cpu / 1e9 / seconds / Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors(), databaseCpu,
                clientCpu / 1e6 / done.get(), machineBusy.isEmpty() ? "" : ", the machine " + machineBusy, batches, batches == 0 ? 0.0 : (double) appends / batches,
                writerAfter == null ? "" : writerAfter.describeSince(writerBefore, elapsed, "its writer", appends, "change"),
                reconnections == 0 ? "" : String.format("; **%,d connections reopened** after the service closed them", reconnections),
                postgres == null ? "" : postgres.statements(done.get()));
    }

    /**
     * The PostgreSQL server's side of a phase: its processes' CPU time and, with {@code -Dbench.postgresStatements=true},
     * the statements that took most of the server's time (pg_stat_statements), per request of the phase.
     */
    record PostgresSide(ProcessTreeCpu cpu, TestDatabase database) {
        static PostgresSide of(TestDatabase database) throws java.sql.SQLException {
            try (java.sql.Connection connection = connect(database); java.sql.Statement statement = connection.createStatement()) {
                if (STATEMENTS) {
                    statement.execute("CREATE EXTENSION pg_stat_statements");
                }
                return new PostgresSide(new ProcessTreeCpu(PostgresWork.postmasterOf(connection)), database);
            }
        }

        void resetStatements() throws java.sql.SQLException {
            if (STATEMENTS) {
                try (java.sql.Connection connection = connect(database); java.sql.Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_stat_statements_reset()");
                }
            }
        }

        String statements(int requests) throws java.sql.SQLException {
            if (!STATEMENTS) {
                return "";
            }
            StringBuilder top = new StringBuilder("; PostgreSQL's time per request, by statement:");
            try (java.sql.Connection connection = connect(database); java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet rows = statement.executeQuery("""
                         SELECT calls, total_exec_time, regexp_replace(left(query, 70), '\\s+', ' ', 'g') FROM pg_stat_statements
                         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 8""")) {
                while (rows.next()) {
                    top.append(String.format("%n  - %.3f ms, %.2f calls: `%s`", rows.getDouble(2) / requests, (double) rows.getLong(1) / requests, rows.getString(3)));
                }
            }
            return top.toString();
        }

        private static java.sql.Connection connect(TestDatabase database) throws java.sql.SQLException {
            return java.sql.DriverManager.getConnection(database.url(), database.user(), database.password());
        }
    }

    private static void run(Request request, int seconds, long[] latencies, AtomicInteger done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                while (!stop.get()) {
                    long began = System.nanoTime();
                    request.send(client);
                    long took = System.nanoTime() - began;
                    int n = done.getAndIncrement();
                    if (n < latencies.length) {
                        latencies[n] = took;
                    }
                }
                return null;
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
    }
}
