package org.custody.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.custody.Core;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.access.Viewer;
import org.custody.common.Sha256Digest;
import org.custody.log.Actor;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;

/**
 * "Is this video already on file?": the look-up of evidence by its original's SHA-256 digest, through the service's
 * own code ({@code Evidence.list} with a digest, as {@code GET /api/v1/evidence?sha256=} calls it), among
 * {@code bench.items} items (50,000 unless set) of about a kilobyte of details each, on H2 and PostgreSQL. Beside it,
 * for scale, the statement the service used before the digest had an indexed column of its own: a scan of every
 * item's details for the member. The items are inserted directly (no log entries: the look-up reads the evidence table
 * alone). Run it with {@code mvn -B test -Pbench -Dtest=EvidenceLookupBenchmark}; results on standard output and in
 * target/evidence-lookup-bench-results.md.
 */
class EvidenceLookupBenchmark {
    private static final int ITEMS = Integer.getInteger("bench.items", 50_000);
    private static final int LOOKUPS = 200;
    private static final String SCAN = "SELECT COUNT(*) FROM evidence e WHERE e.details LIKE :pattern";

    @Test
    void lookUpByDigest() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("Machine: " + Machine.describe() + "; " + ITEMS
                + " evidence items; " + LOOKUPS + " look-ups of digests on file, after as many unmeasured; median and p99 of one look-up");
        for (TestDatabase.Kind kind : TestDatabase.Kind.values()) {
            lines.add(run(kind));
        }
        lines.forEach(System.out::println);
        Files.writeString(Path.of("target", "evidence-lookup-bench-results.md"), String.join("\n", lines) + "\n");
    }

    private static String run(TestDatabase.Kind kind) throws Exception {
        Path dataDirectory = TempDirectories.create("custody-lookup-bench");
        TestDatabase database = TestDatabase.fresh(kind);
        Core core = TestConfigs.startCore(database, dataDirectory, Clock.systemUTC());
        try {
            User user = core.users().create(Actor.SYSTEM, new NewUser("lookups", "Look-ups", "a long test password", EnumSet.of(Role.CASE_WORKER))).value();
            Viewer viewer = Viewer.caseWorker(user.id(), java.time.Instant.now());
            List<String> digests = insertItems(core);
            if (kind == TestDatabase.Kind.POSTGRES) {
                core.jdbi().useHandle(handle -> handle.execute("ANALYZE evidence"));
            }
            Random pick = new Random(7);
            long[] service = new long[LOOKUPS];
            long[] scan = new long[LOOKUPS];
            for (int round = 0; round < 2; round++) { // the first round warms up and is not reported
                for (int i = 0; i < LOOKUPS; i++) {
                    String digest = digests.get(pick.nextInt(digests.size()));
                    long start = System.nanoTime();
                    long found = core.evidence().list(viewer, Sha256Digest.of(digest), 0, 50).total();
                    service[i] = System.nanoTime() - start;
                    start = System.nanoTime();
                    long scanned = core.jdbi().withHandle(handle -> handle.createQuery(SCAN)
                            .bind("pattern", "%\"sha256\":\"" + digest + "\"%").mapTo(Long.class).one());
                    scan[i] = System.nanoTime() - start;
                    if (found != 1 || scanned != 1) {
                        throw new IllegalStateException("each digest is on file once; found " + found + " and " + scanned);
                    }
                }
            }
            return "- **" + kind.name().toLowerCase(java.util.Locale.ROOT) + "**: the service's look-up " + quantiles(service)
                    + "; for scale, one scan of every item's details for the member (the statement before the indexed column; a look-up"
                    + " ran two, for the page and its total) " + quantiles(scan);
        } finally {
            core.stop();
            TempDirectories.delete(dataDirectory);
        }
    }

    /** Inserts the items, each with a digest of its own and about a kilobyte of details; returns the digests. */
    private static List<String> insertItems(Core core) {
        Random random = new Random(1);
        List<String> digests = new ArrayList<>();
        core.jdbi().useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO evidence (id, version, kind, sha256, details, created_at, updated_at)
                    VALUES (:id, 1, 'VIDEO', :sha256, :details, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""");
            for (int i = 0; i < ITEMS; i++) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                String digest = HexFormat.of().formatHex(bytes);
                digests.add(digest);
                String details = "{\"description\":\"" + "Invented description. ".repeat(30) + "\",\"kind\":\"VIDEO\",\"sha256\":\"" + digest
                        + "\",\"title\":\"Invented video " + i + "\"}";
                batch.bind("id", UUID.randomUUID()).bind("sha256", digest).bind("details", details).add();
                if (batch.size() == 1_000) {
                    batch.execute();
                }
            }
            if (batch.size() > 0) {
                batch.execute();
            }
        });
        return digests;
    }

    private static String quantiles(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return String.format(java.util.Locale.ROOT, "median %.2f ms, p99 %.2f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6);
    }
}
