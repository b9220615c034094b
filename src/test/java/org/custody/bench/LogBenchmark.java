package org.custody.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.access.Caller;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.SessionScope;
import org.custody.access.User;
import org.custody.backup.H2Housekeeping;
import org.custody.cases.CaseDetails;
import org.custody.cases.Category;
import org.custody.common.DatabaseKind;
import org.custody.log.Actor;
import org.custody.log.Ledger;
import org.custody.log.LogReader;
import org.custody.log.tree.TilePath;
import org.custody.log.tree.TileStorage;
import org.custody.log.tree.TreeHash;
import org.custody.support.ProcessTreeCpu;
import org.custody.support.ReadmeCommands;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.junit.jupiter.api.Test;

/**
 * The log's performance figures, on H2 (file, WRITE_DELAY=0, as shipped) and on PostgreSQL (fsync and synchronous
 * commit on): appends per second with 16 concurrent writers through the service's write path, proof latency,
 * verify-log time and storage per entry. Not part of the test suite; run it with
 * {@code mvn -B test -Pbench -Dbench.entries=1000000}. Results go to standard output and target/bench-results.md.
 */
class LogBenchmark {
    static final int WRITERS = 16;
    static final long ENTRIES = Long.getLong("bench.entries", 1_000_000);
    static final int PROOFS = Integer.getInteger("bench.proofs", 10_000);
    static final long LOG_ONLY = Long.getLong("bench.logOnly", 100_000);
    final List<String> report = new ArrayList<>();

    @Test
    void measure() throws Exception {
        report.add("Machine: " + Machine.describe()
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; " + ENTRIES + " entries per database");
        List<String> only = Arrays.asList(System.getProperty("bench.databases", "h2,postgres").split(","));
        if (only.contains("h2")) {
            Path directory = Files.createTempDirectory("custody-bench-h2");
            run("H2 (file, WRITE_DELAY=0)", "org.h2.Driver", "jdbc:h2:file:" + directory + "/custody" + ShippedH2.settings()
                    + System.getProperty("bench.h2Settings", ""), "sa", "", directory);
        }
        if (only.contains("postgres")) {
            try (EmbeddedPostgres postgres = TestDatabase.durablePostgres()) {
                run("PostgreSQL " + postgres.getPostgresDatabase().getConnection().getMetaData().getDatabaseProductVersion()
                        + " (embedded, fsync on, synchronous_commit on)", "org.postgresql.Driver", postgres.getJdbcUrl("postgres", "postgres"),
                        "postgres", "postgres", Files.createTempDirectory("custody-bench-pg"));
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/bench-results.md"), report);
        report.forEach(System.out::println);
    }

    private void run(String name, String driver, String url, String user, String password, Path dataDirectory) throws Exception {
        CustodyConfiguration config = TestConfigs.withDataDirectory(dataDirectory);
        config.getDatabase().setDriverClass(driver);
        config.getDatabase().setUrl(url);
        config.getDatabase().setUser(user);
        config.getDatabase().setPassword(password);
        config.getAuth().setReadsPerSecond(0); // the log-only appends are one user's reads, thousands a second
        ObjectMapper mapper = Json.configure(Jackson.newObjectMapper());
        MetricRegistry metrics = new MetricRegistry();
        Core core = Core.build(config, mapper, Validators.newValidator(), metrics, Clock.systemUTC());
        core.start();
        try {
            User worker;
            try {
                worker = core.users().create(Actor.SYSTEM, new NewUser("bench", "Bench", "a long bench password", EnumSet.of(Role.CASE_WORKER))).value();
                report.add("");
                report.add("### " + name);
                report.add(Yardstick.measure().describe("before the appends"));
                measureAppends(core, new Actor(worker.id(), worker.username()), metrics);
                measureProofs(core, metrics, ENTRIES, "straight after the appends");
            } finally {
                core.stop();
            }
            measureVerifyLog(config, dataDirectory);
            // the service again, on the same database
            MetricRegistry metricsAfter = new MetricRegistry();
            Core after = Core.build(config, mapper, Validators.newValidator(), metricsAfter, Clock.systemUTC());
            after.start();
            try {
                measureStorage(after, driver, ENTRIES);
                // again, once the database has caught up with the appends (on PostgreSQL, VACUUM ANALYZE has just run)
                measureProofs(after, metricsAfter, ENTRIES, "after verify-log and the storage count");
                measureActivity(after, worker);
                measureCheckpointAsOf(after);
                measureTiles(after);
                measureLogOnlyAppends(after, worker, new Actor(worker.id(), worker.username()), metricsAfter);
            } finally {
                after.stop();
            }
        } finally {
            if (driver.contains("h2")) {
                long file = directorySize(dataDirectory);
                report.add(String.format("- H2 database file on disk after the run: %,d MiB (%,d bytes per entry, everything included)", file >> 20,
                        file / ENTRIES));
            }
            if (Boolean.getBoolean("bench.keep") && driver.contains("h2")) {
                report.add("- kept the database and keys in " + dataDirectory + " (-Dbench.keep=true)");
            } else {
                TempDirectories.delete(dataDirectory);
            }
        }
    }

    /** Case creations from {@link #WRITERS} concurrent writers until the log holds {@link #ENTRIES} entries. */
    private void measureAppends(Core core, Actor actor, MetricRegistry metrics) throws Exception {
        long start = core.logReader().size();
        long toWrite = ENTRIES - start;
        CpuUse cpu = CpuUse.start();
        double seconds = concurrently(toWrite, n -> core.cases().create(actor, new CaseDetails(new CaseDetails.Person("Invented Person " + n,
                "Արամ", List.of(), null, null, null, null), Category.UNKNOWN, null, null, null, null)));
        String cpuUse = cpu.since(seconds);
        assertThat(core.logReader().size()).isEqualTo(ENTRIES);
        report.add(String.format("- appends: %,d case creations by %d concurrent writers in %.1f s = **%,.0f appends/s** (%,d checkpoints signed); %s",
                toWrite, WRITERS, seconds, toWrite / seconds, count(core, "SELECT COUNT(*) FROM log_checkpoint"), cpuUse));
        Timer batches = metrics.timer("custody.ledger.batches");
        Snapshot batchTimes = batches.getSnapshot();
        report.add(String.format("- ledger writer: %,d batches of %.1f changes on average, a batch taking %.2f ms (p50) / %.2f ms (p99) "
                        + "from its first statement to its commit",
                batches.getCount(), metrics.histogram("custody.ledger.batch-size").getSnapshot().getMean(), batchTimes.getMedian() / 1e6,
                batchTimes.get99thPercentile() / 1e6));
    }

    private static long directorySize(Path directory) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    /**
     * verify-log as an operator runs it: the command in a JVM of its own with README's options, the
     * service stopped (on H2 it must be; on PostgreSQL it may run beside the service, which here would have nothing to
     * write). The time is from starting the JVM to its exit, in hundredths of a second, so that a run close to the
     * 20 s target says which side of it it fell. {@code -Dbench.verifyJvmArgs=...} adds JVM options (a flight
     * recording, for instance).
     */
    private void measureVerifyLog(CustodyConfiguration config, Path dataDirectory) throws Exception {
        Map<String, String> environment = Map.of("CUSTODY_DB_DRIVER", config.getDatabase().getDriverClass(),
                "CUSTODY_DB_URL", config.getDatabase().getUrl(), "CUSTODY_DB_USER", config.getDatabase().getUser(),
                "CUSTODY_DB_PASSWORD", config.getDatabase().getPassword(), "CUSTODY_DATA_DIR", dataDirectory.toString(),
                "CUSTODY_KEY_DIR", dataDirectory.resolve("keys").toString(), "CUSTODY_GENERATE_KEY", "false",
                "CUSTODY_LOG_ORIGIN", config.getLog().getOrigin());
        // the options README gives in its command, then any extra ones
        List<String> readmeOptions = ReadmeCommands.verifyLogJvmOptions();
        List<String> jvmOptions = new ArrayList<>(readmeOptions);
        String extra = System.getProperty("bench.verifyJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            jvmOptions.addAll(List.of(extra.split("\\s+")));
        }
        Path output = Files.createTempFile("custody-bench-verify", ".txt");
        // this JVM grew its heap for the appends; what it no longer uses goes back, so that the page cache and
        // verify-log's JVM are not squeezed by a benchmark's process that no deployment has
        System.gc();
        String memory = memory();
        report.add(Yardstick.measure().describe("just before verify-log"));
        try {
            ProcessTreeCpu.Times cpuBefore = ProcessTreeCpu.endedChildren();
            MachineCpu machineBefore = MachineCpu.now();
            long started = System.nanoTime();
            int exit = ServiceProcess.command(jvmOptions, dataDirectory, environment, output, "verify-log");
            double seconds = (System.nanoTime() - started) / 1e9;
            ProcessTreeCpu.Times cpu = ProcessTreeCpu.endedChildren().since(cpuBefore);
            double cpuSeconds = cpu.nanos() / 1e9;
            MachineCpu machineAfter = MachineCpu.now();
            List<String> lines = Files.readAllLines(output);
            String verdict = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
            assertThat(exit).as("verify-log's exit status; its output: %s", lines).isZero();
            assertThat(verdict).startsWith("VERIFIED in ");
            String checkpoints = lines.stream().filter(line -> line.contains(" checkpoints: ")).findFirst().orElse("?");
            String busy = machineAfter == null ? "" : machineAfter.describeSince(machineBefore);
            report.add(String.format("- verify-log from the command line (its own JVM, " + String.join(" ", readmeOptions) + " as README gives it; the service stopped): **%.2f s** from starting the JVM "
                            + "to its exit (the command's own count, without starting the JVM: %s); %.1f CPU-seconds (%.1f user, %.1f system), %.0f %% "
                            + "of the machine's cores%s; memory when it started: %s. It checked: %s", seconds, verdict.substring("VERIFIED in ".length()), cpuSeconds,
                    cpu.userNanos() / 1e9, cpu.systemNanos() / 1e9,
                    100 * cpuSeconds / seconds / Runtime.getRuntime().availableProcessors(),
                    busy.isEmpty() ? "" : " (the machine " + busy + ")", memory, checkpoints.replaceFirst("^OK +", "")));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The machine's free memory, what the kernel could free (page cache) and what it has still to write to disk, from
     * /proc/meminfo, or "?" where Linux does not say.
     */
    private static String memory() {
        try {
            Map<String, Long> kib = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] parts = line.split(":\\s+");
                kib.put(parts[0], Long.parseLong(parts[1].replaceAll("[^0-9]", "")));
            }
            return String.format("%,d MiB free, %,d MiB available, %,d MiB written but not yet on disk", kib.get("MemFree") >> 10,
                    kib.get("MemAvailable") >> 10, (kib.get("Dirty") + kib.get("Writeback")) >> 10);
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * Appends that write nothing but the log (recorded case reads), through the same ledger: what the log itself
     * costs, apart from the case rows that the main figure's case creations also write. Runs last, so the figures
     * above are for a log of exactly the requested size. On H2 it counts the housekeeping rounds that rewrote pages
     * meanwhile: a round takes a core and rewrites under the store's lock, which each commit of the ledger also takes,
     * so a phase of a second or two that meets several is slower for it. It also gives the JIT compilers' and the
     * collector's time meanwhile: on the first database measured it is the first phase in this JVM to record reads, so
     * that code is compiled during it.
     */
    private void measureLogOnlyAppends(Core core, User worker, Actor actor, MetricRegistry metrics) throws Exception {
        UUID caseId = core.cases().create(actor, new CaseDetails(new CaseDetails.Person("Invented Read Person", null, List.of(), null, null, null, null),
                Category.UNKNOWN, null, null, null, null)).value().id();
        Caller caller = new Caller(worker, UUID.randomUUID(), SessionScope.FULL, Instant.now());
        long batchesBefore = metrics.timer("custody.ledger.batches").getCount();
        HousekeepingRounds rounds = HousekeepingRounds.start(metrics.getTimers().get(H2Housekeeping.REWRITES_METRIC));
        long sizeBefore = core.logReader().size();
        long compilingBefore = compilingMillis();
        long collectingBefore = collectingMillis();
        CpuUse cpu = CpuUse.start();
        double seconds = concurrently(LOG_ONLY, n -> core.reads().caseViewed(caller, caseId, "record"));
        String cpuUse = cpu.since(seconds);
        String jvm = String.format("; meanwhile the JIT compilers %,d ms, the collector %,d ms", compilingMillis() - compilingBefore,
                collectingMillis() - collectingBefore);
        long batches = metrics.timer("custody.ledger.batches").getCount() - batchesBefore;
        String housekeeping = rounds.endedDuring("these appends");
        assertThat(core.logReader().size() - sizeBefore).as("every read recorded").isEqualTo(LOG_ONLY);
        report.add(String.format("- log-only appends (recorded case reads, no table row): %,d by %d concurrent writers in %.1f s = **%,.0f appends/s**, "
                + "%.1f per batch; %s%s%s", LOG_ONLY, WRITERS, seconds, LOG_ONLY / seconds, (double) LOG_ONLY / batches, cpuUse, housekeeping, jvm));
    }

    /** Time this JVM's JIT compilers have spent compiling, in all. */
    private static long compilingMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Time this JVM's collectors have spent collecting, in all (pauses and concurrent work, as each collector counts it). */
    private static long collectingMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(millis -> millis > 0).sum();
    }

    /**
     * A user's activity, as an administrator asks for it after a suspected leak: the newest 100 entries of the user who
     * wrote the whole log (found at once), and of a user with none (every entry of the window looked at, the worst case).
     */
    private void measureActivity(Core core, User worker) {
        List<Double> busy = new ArrayList<>();
        List<Double> none = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            assertThat(core.logReader().activity(worker.id(), Long.MAX_VALUE, 100).items()).hasSize(100);
            busy.add((System.nanoTime() - started) / 1e6);
            started = System.nanoTime();
            assertThat(core.logReader().activity(UUID.randomUUID(), Long.MAX_VALUE, 100).items()).isEmpty();
            none.add((System.nanoTime() - started) / 1e6);
        }
        report.add(String.format("- a user's activity (GET /api/v1/users/{id}/activity, five requests each): the newest 100 entries of the user who wrote "
                + "them %.1f–%.1f ms; a user with none in the %,d entries looked through %.0f–%.0f ms", Collections.min(busy), Collections.max(busy),
                LogReader.ACTIVITY_WINDOW, Collections.min(none), Collections.max(none)));
    }

    /** What an export as of an earlier instant looks up first: the latest checkpoint signed by then, at five instants across the log. */
    private void measureCheckpointAsOf(Core core) {
        java.time.Instant first = core.jdbi().withHandle(handle -> handle.createQuery("SELECT MIN(signed_at) FROM log_checkpoint")
                .mapTo(java.time.Instant.class).one());
        java.time.Instant last = core.jdbi().withHandle(handle -> handle.createQuery("SELECT MAX(signed_at) FROM log_checkpoint")
                .mapTo(java.time.Instant.class).one());
        List<Double> times = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            java.time.Instant at = first.plus(java.time.Duration.between(first, last).multipliedBy(2L * i - 1).dividedBy(10));
            long started = System.nanoTime();
            Long size = core.jdbi().withExtension(org.custody.export.ExportDao.class, exports -> exports.checkpointSizeAt(at));
            times.add((System.nanoTime() - started) / 1e6);
            assertThat(size).isPositive().isLessThan(ENTRIES + 1);
        }
        report.add(String.format("- the checkpoint an export as of an earlier instant is anchored to (the latest signed by then; five instants across "
                + "the log, each a scan of the %,d checkpoints): %.1f–%.1f ms", count(core, "SELECT COUNT(*) FROM log_checkpoint"),
                Collections.min(times), Collections.max(times)));
    }

    /**
     * Hash tiles as a tlog client fetches them ({@code GET /api/v1/log/tile/…}), one reader: random full level-0 tiles, and
     * the partial edge tile of each level of the newest tree (read from all their stored parts, as every tile request reads them).
     */
    private void measureTiles(Core core) {
        long size = core.logReader().size();
        Random random = new Random(7);
        List<TilePath> edge = new ArrayList<>();
        for (int level = 0; level < TileStorage.LEVELS && size >>> (TileStorage.HEIGHT * level) > 0; level++) {
            long hashes = size >>> (TileStorage.HEIGHT * level);
            if (hashes % TileStorage.WIDTH > 0) {
                edge.add(new TilePath(level, hashes / TileStorage.WIDTH, (int) (hashes % TileStorage.WIDTH)));
            }
        }
        long[] full = new long[PROOFS];
        long[] edges = new long[PROOFS];
        for (int i = 0; i < PROOFS; i++) {
            TilePath tile = new TilePath(0, random.nextLong(size / TileStorage.WIDTH), TileStorage.WIDTH);
            long began = System.nanoTime();
            assertThat(core.logProofs().tile(tile)).hasSize(TileStorage.WIDTH * TreeHash.SIZE);
            full[i] = System.nanoTime() - began;
            TilePath edgeTile = edge.get(i % edge.size());
            began = System.nanoTime();
            assertThat(core.logProofs().tile(edgeTile)).hasSize(edgeTile.width() * TreeHash.SIZE);
            edges[i] = System.nanoTime() - began;
        }
        report.add(String.format("- hash tiles (GET /api/v1/log/tile/…, %d each, one reader): a random full level-0 tile %s; the edge tiles of "
                + "the newest tree in turn (%s; %,d parts stored in all) %s", PROOFS, percentiles(full), edge.stream().map(TilePath::path)
                .collect(java.util.stream.Collectors.joining(", ")), count(core, "SELECT COUNT(*) FROM log_tile_part"), percentiles(edges)));
    }

    /** H2's housekeeping rounds that rewrote pages, counted from {@link #start}; none to count on PostgreSQL ({@code rewrites} null). */
    private record HousekeepingRounds(Timer rewrites, long before) {
        static HousekeepingRounds start(Timer rewrites) {
            return new HousekeepingRounds(rewrites, rewrites == null ? 0 : rewrites.getCount());
        }

        /** The rounds that ended since the start, as a report line's clause; empty on PostgreSQL. */
        String endedDuring(String what) {
            return rewrites == null ? "" : "; housekeeping rounds that rewrote pages, ended during " + what + ": " + (rewrites.getCount() - before);
        }
    }

    /** CPU time of this process and of the ledger's writer thread, from a starting point. */
    private record CpuUse(long process, long writer, MachineCpu machine) {
        static CpuUse start() {
            return new CpuUse(processCpu(), writerCpu(), MachineCpu.now());
        }

        /**
         * The share of the machine's cores this process used over {@code seconds} of wall time since {@link #start()}, and
         * the whole machine (this process, PostgreSQL's processes and anything else) where Linux says.
         */
        String processSince(double seconds) {
            String use = String.format("the process used %.0f %% of the machine's cores",
                    100.0 * (processCpu() - process) / 1e9 / seconds / Runtime.getRuntime().availableProcessors());
            MachineCpu now = MachineCpu.now();
            String busy = now == null ? "" : now.describeSince(machine);
            return busy.isEmpty() ? use : use + " (the machine " + busy + ")";
        }

        /** As {@link #processSince}, and how much of the time the ledger's writer thread was on a core. */
        String since(double seconds) {
            return processSince(seconds) + String.format(", the ledger writer thread ran %.0f %% of the time", 100.0 * (writerCpu() - writer) / 1e9 / seconds);
        }

        private static long processCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static long writerCpu() {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(Ledger.WRITER_THREAD))
                    .mapToLong(thread -> threads.getThreadCpuTime(thread.getId())).sum();
        }
    }

    /** Runs {@code task} {@code count} times from {@link #WRITERS} threads at once; returns the seconds it took. */
    private static double concurrently(long count, java.util.function.LongConsumer task) throws Exception {
        AtomicLong remaining = new AtomicLong(count);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            long began = System.nanoTime();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(pool.submit(() -> {
                    for (long n = remaining.getAndDecrement(); n > 0; n = remaining.getAndDecrement()) {
                        task.accept(n);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            return (System.nanoTime() - began) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Proofs at random tree sizes (a checkpoint kept some time ago), then against the newest tree (the size a fresh
     * checkpoint names, whose right edge is the log's unfinished tiles: what {@code LogProofs} remembers of them counts here).
     * On H2 each line also counts the service's housekeeping rounds that rewrote pages and ended during its proofs: up
     * to four a second while the file a burst of a million appends left behind is compacted, each taking a core for a
     * while, and the proofs beside it make a pass's tail (see the journal).
     */
    private void measureProofs(Core core, MetricRegistry metrics, long size, String when) throws java.sql.SQLException {
        Timer rewrites = metrics.getTimers().get(H2Housekeeping.REWRITES_METRIC);
        Long postmaster = postmasterPid(core);
        Random random = new Random(42);
        for (int warm = 0; warm < 500; warm++) {
            core.logProofs().inclusion(random.nextLong(size), size);
        }
        long seed = random.nextLong();
        Random sizes = new Random(seed);
        report.add("- " + proofLatencies(core, rewrites, postmaster, sizes, () -> 1 + sizes.nextLong(size)) + " (" + PROOFS
                + " random proofs each, one reader, from the database, " + when + ")");
        // the very same proofs once more: their tiles have now been read once, so what differs from the line above is
        // what reading a tile for the first time since the start costs (the database's cache, the disk), and what ran beside them
        Random again = new Random(seed);
        report.add("  - the same proofs again, each tile read before: " + proofLatencies(core, rewrites, postmaster, again, () -> 1 + again.nextLong(size)));
        report.add("- against the newest tree (" + size + " entries), " + proofLatencies(core, rewrites, postmaster, random, () -> size));
    }

    /**
     * Latencies of {@link #PROOFS} inclusion and as many consistency proofs, each in a tree of a size {@code treeSizes} gives;
     * with H2's housekeeping rounds that rewrote pages meanwhile when {@code rewrites} is given, and how busy the whole
     * machine was: one reader keeps about one of the two cores busy (with PostgreSQL's backend, which it waits for), so
     * much more than half means something else ran beside the proofs.
     */
    private static String proofLatencies(Core core, Timer rewrites, Long postmaster, Random random, java.util.function.LongSupplier treeSizes) {
        HousekeepingRounds rounds = HousekeepingRounds.start(rewrites);
        MachineCpu machineBefore = MachineCpu.now();
        PostgresWork postgresBefore = postmaster == null ? null : PostgresWork.now(postmaster);
        long[] inclusion = new long[PROOFS];
        long[] consistency = new long[PROOFS];
        for (int i = 0; i < PROOFS; i++) {
            long treeSize = treeSizes.getAsLong();
            long index = random.nextLong(treeSize);
            long began = System.nanoTime();
            core.logProofs().inclusion(index, treeSize);
            inclusion[i] = System.nanoTime() - began;
            long from = 1 + random.nextLong(treeSize);
            began = System.nanoTime();
            core.logProofs().consistency(from, treeSize);
            consistency[i] = System.nanoTime() - began;
        }
        MachineCpu machineAfter = MachineCpu.now();
        String busy = machineAfter == null ? "" : machineAfter.describeSince(machineBefore);
        String housekeeping = rounds.endedDuring("these proofs");
        String postgres = postmaster == null ? "" : "; PostgreSQL's processes meanwhile: " + PostgresWork.now(postmaster).describeSince(postgresBefore);
        return "inclusion proof: " + percentiles(inclusion) + "; consistency proof: " + percentiles(consistency) + housekeeping
                + (busy.isEmpty() ? "" : "; the machine " + busy) + postgres;
    }

    /** The PostgreSQL server's main process, or null on H2. */
    private static Long postmasterPid(Core core) throws java.sql.SQLException {
        return core.jdbi().withHandle(handle -> DatabaseKind.of(handle) == DatabaseKind.POSTGRESQL ? PostgresWork.postmasterOf(handle.getConnection()) : null);
    }

    private void measureStorage(Core core, String driver, long size) {
        long entryBytes = count(core, "SELECT SUM(OCTET_LENGTH(entry_bytes)) FROM log_entry");
        if (driver.contains("postgresql")) {
            core.jdbi().useHandle(handle -> handle.execute("VACUUM ANALYZE"));
            long fullTiles = count(core, "SELECT pg_total_relation_size('log_tile')");
            long parts = count(core, "SELECT pg_total_relation_size('log_tile_part')");
            long liveParts = count(core, "SELECT COUNT(*) FROM log_tile_part");
            long tiles = fullTiles + parts;
            long checkpoints = count(core, "SELECT pg_total_relation_size('log_checkpoint')");
            long entries = count(core, "SELECT pg_total_relation_size('log_entry')");
            report.add(String.format("- storage per entry (on disk, tables with their indexes): entry bytes %.0f; **tree (tiles and parts) %.1f + "
                            + "checkpoints %.1f = %.1f bytes beyond the entry**; the entry table's own overhead (row headers, index columns, "
                            + "primary key) %.1f", (double) entryBytes / size, (double) tiles / size, (double) checkpoints / size,
                    (double) (tiles + checkpoints) / size, (double) (entries - entryBytes) / size));
            // the parts of unfinished tiles are a few rows at any time, but each batch inserts some and a finished tile
            // deletes them, so the table's size on disk is mostly space that autovacuum has freed for reuse (or not yet)
            report.add(String.format("- of the tree: full tiles %.1f bytes per entry, the parts' table %.1f (%,d bytes on disk for %d live rows)",
                    (double) fullTiles / size, (double) parts / size, parts, liveParts));
        } else {
            // H2's DISK_SPACE_USED counts pages of chunks and is not meaningful once housekeeping moves pages between
            // chunks, so for H2 the figure is the stored values: hashes and keys of tiles and parts, checkpoint notes
            // and their keys. The whole file is reported separately.
            long tiles = count(core, "SELECT COALESCE(SUM(OCTET_LENGTH(hashes) + 12), 0) FROM log_tile")
                    + count(core, "SELECT COALESCE(SUM(OCTET_LENGTH(hashes) + 16), 0) FROM log_tile_part");
            long checkpoints = count(core, "SELECT COALESCE(SUM(OCTET_LENGTH(note) + 16), 0) FROM log_checkpoint");
            report.add(String.format("- storage per entry (stored values; H2 has no per-table size): entry bytes %.0f; **tree (tiles and parts) "
                            + "%.1f + checkpoints %.1f = %.1f bytes beyond the entry**", (double) entryBytes / size, (double) tiles / size,
                    (double) checkpoints / size, (double) (tiles + checkpoints) / size));
        }
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, **p99 %.2f ms**, max %.2f ms", sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    private static long count(Core core, String sql) {
        return core.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
