package org.custody.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.custody.audit.EntryExamination.Examined;
import org.custody.log.AppendOnlyDefence;
import org.custody.log.LogDao;
import org.custody.log.signing.NoteKey;
import org.custody.log.tree.TreeEdge;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Checks a whole log against itself and against the tables, reading the database only: every entry re-hashes into
 * the stored tree, every checkpoint is signed by a log key and matches the tree, every payload matches its
 * commitment, and replaying the payloads from index 0 rebuilds exactly the records in the tables.
 */
public final class LogVerifier {
    private static final int PAGE = 5_000;
    /** Pages read (and being examined) ahead of the one being replayed. */
    private static final int PAGES_AHEAD = 3;

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final String origin;

    public LogVerifier(Jdbi jdbi, ObjectMapper mapper, String origin) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.origin = origin;
    }

    /** Verifies the log; {@code keptCheckpoint} is a signed checkpoint someone kept earlier, to prove the log only grew since. */
    public Findings verify(Optional<String> keptCheckpoint) {
        Findings findings = new Findings();
        Snapshot.read(jdbi, transaction -> new Run(transaction, findings).verify(keptCheckpoint));
        return findings;
    }

    /** One verification pass; holds the rebuilt tree and records. */
    private final class Run {
        private final Handle handle;
        private final Findings findings;
        private final RebuiltTiles tiles = new RebuiltTiles();
        private final TreeEdge edge = TreeEdge.empty();
        private final Replay replay = new Replay(mapper, true);
        private final SignInState signIns = new SignInState(mapper);
        private final CaseLinks links = new CaseLinks();
        private final ErasedPayloads erased = new ErasedPayloads();
        private final ErasureProposals proposals = new ErasureProposals();
        private final EntryExamination examination = new EntryExamination(mapper);
        private final CheckpointChecks checkpoints = new CheckpointChecks(origin);
        private CheckpointRoots roots;
        private long entries;

        Run(Handle handle, Findings findings) {
            this.handle = handle;
            this.findings = findings;
        }

        void verify(Optional<String> kept) {
            Optional<CheckpointChecks.Kept> keptEarlier = CheckpointChecks.parseKept(kept, findings);
            checkDefence();
            // the signatures are checked on the side from the start, while this thread does the work that is on one core
            EarlySignatureChecks early = EarlySignatureChecks.start(jdbi);
            try {
                LongStream.Builder sizes = LongStream.builder();
                handle.createQuery("SELECT size FROM log_checkpoint").setFetchSize(10_000).mapTo(Long.class).forEach(sizes::add);
                keptEarlier.ifPresent(earlier -> sizes.add(earlier.checkpoint().size()));
                roots = new CheckpointRoots(sizes.build().toArray());
                int problemsBefore = findings.problems().size();
                readEntries();
                erased.unaccounted().forEach(findings::problem);
                if (findings.problems().size() == problemsBefore) {
                    findings.pass("entries 0.." + (entries - 1) + ": gapless, canonical, payload commitments match"
                            + (erased.erased() == 0 ? "" : " (" + erased.erased() + " payloads erased by law, each listed by an erasure)"));
                }
                // taken before the comparison, which empties the replay as it goes
                List<NoteKey> keys = replay.keys.values().stream()
                        .map(key -> new NoteKey(key.get("name").asText(), Base64.getDecoder().decode(key.get("publicKey").asText()))).toList();
                checkTablesAndTree(keys, early);
                keptEarlier.ifPresent(earlier -> checkpoints.checkKept(earlier, keys, entries, roots, findings));
            } finally {
                early.stop();
            }
        }

        /**
         * The checks after the replay read different tables and share only what the replay built, so they run at once:
         * the tables are compared on this connection while a second one checks the head, the tiles, the case links and
         * the checkpoints (in that order, as before; their findings are listed first, as before). The second connection
         * must see what this one sees: on PostgreSQL it reads in this transaction's snapshot. H2 cannot share one, so
         * there the second connection's reading counts only when nothing was appended since this transaction began
         * (the head is the same); otherwise, with the service writing beside the check, they run again on this one.
         */
        private void checkTablesAndTree(List<NoteKey> keys, EarlySignatureChecks early) {
            Findings tree = new Findings();
            Findings tables = new Findings();
            LogDao.Head head = handle.attach(LogDao.class).head();
            Optional<String> snapshot = Snapshot.exported(handle);
            ExecutorService side = daemonThreads("verify-log-tree", 1);
            try {
                CompletableFuture<Boolean> sameLog = CompletableFuture.supplyAsync(() -> {
                    boolean[] same = {false};
                    Snapshot.read(jdbi, snapshot, second -> {
                        LogDao.Head seen = second.attach(LogDao.class).head();
                        same[0] = seen.size() == head.size() && Arrays.equals(seen.root(), head.root());
                        if (same[0]) {
                            checkTree(second, tree, head, keys, early);
                        }
                    });
                    return same[0];
                }, side);
                compareWithTables(tables);
                if (!result(sameLog)) {
                    checkTree(handle, tree, head, keys, early);
                }
            } finally {
                side.shutdownNow();
            }
            findings.addAll(tree);
            findings.addAll(tables);
        }

        private void checkTree(Handle on, Findings into, LogDao.Head head, List<NoteKey> keys, EarlySignatureChecks early) {
            checkHead(head, into);
            tiles.checkAgainstStored(on, into);
            checkCaseLinks(on, into);
            early.stop();
            checkpoints.checkStored(on, into, keys, early, entries, roots);
        }

        /**
         * Reads the entries in pages, in three stages that overlap: one thread reads the pages from the database, one
         * examines each page read (on all cores), and this one replays each page examined and hashes it into the tree,
         * in index order. At most {@link #PAGES_AHEAD} pages are read ahead of the replay.
         */
        private void readEntries() {
            LogDao log = handle.attach(LogDao.class);
            ExecutorService reader = daemonThreads("verify-log-reader", 1);
            ExecutorService examiner = daemonThreads("verify-log-examiner", 1);
            try {
                long next = 0;
                Deque<CompletableFuture<List<Examined>>> ahead = new ArrayDeque<>();
                CompletableFuture<List<LogDao.EntryWithCopies>> read = CompletableFuture.supplyAsync(() -> log.entriesWithCopiesFrom(0, PAGE), reader);
                ahead.add(read.thenApplyAsync(this::examine, examiner));
                while (true) {
                    while (ahead.size() < PAGES_AHEAD) {
                        read = read.thenApplyAsync(rows -> rows.isEmpty() ? rows : log.entriesWithCopiesFrom(rows.get(rows.size() - 1).stored().idx() + 1, PAGE),
                                reader);
                        ahead.add(read.thenApplyAsync(this::examine, examiner));
                    }
                    List<Examined> page = result(ahead.poll());
                    if (page.isEmpty()) {
                        break;
                    }
                    for (Examined examined : page) {
                        if (examined.index() != next) {
                            findings.problem("index " + next + ": missing (the next stored entry is " + examined.index() + ")");
                        }
                        apply(examined);
                        next = examined.index() + 1;
                    }
                    edge.flush(tiles);
                }
            } finally {
                reader.shutdownNow();
                examiner.shutdownNow();
            }
        }

        private List<Examined> examine(List<LogDao.EntryWithCopies> rows) {
            return rows.parallelStream().map(examination::examine).toList();
        }

        /** Replays one examined entry and adds it to the tree. */
        private void apply(Examined examined) {
            examined.problems().forEach(findings::problem);
            if (examined.payload() != null) {
                String problem = replay.apply(examined.action(), examined.payload(), examined.canonicalPayload(), examined.whole());
                if (problem != null) {
                    findings.problem("index " + examined.index() + ": " + problem);
                }
                if ("case.erased".equals(examined.action())) {
                    erased.erasure(examined.index(), examined.payload()).forEach(findings::problem);
                }
            } else if (examined.payloadGone()) {
                erased.payloadGone(examined.index(), examined.subjectId());
                replay.payloadGone(examined.action(), examined.subjectId());
            }
            if (examined.action() != null) { // null for an entry that could not be read, reported above
                String problem = signIns.follow(examined.action(), examined.subjectId(), examined.time(), examined.payload());
                if (problem != null) {
                    findings.problem("index " + examined.index() + ": " + problem);
                }
                proposals.follow(examined.index(), examined.action(), examined.subjectId(), examined.actorId(), examined.time(), examined.payload())
                        .forEach(findings::problem);
            }
            links.expect(examined.index(), examined.action(), examined.subjectId(), examined.payload());
            edge.append(examined.leafHash());
            entries = examined.index() + 1;
            if (roots.named(edge.size())) {
                roots.record(edge.size(), edge.root());
            }
        }

        private static <T> T result(CompletableFuture<T> future) {
            try {
                return future.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }

        /** Whether the database still refuses to rewrite the log (the triggers an administrator must switch off to edit it). */
        private void checkDefence() {
            List<String> gaps = AppendOnlyDefence.gaps(handle);
            if (gaps.isEmpty()) {
                findings.pass("append-only defence: " + AppendOnlyDefence.HOLDS);
            }
            gaps.forEach(gap -> findings.problem("append-only defence: " + gap));
        }

        private void checkHead(LogDao.Head head, Findings into) {
            if (head.size() != entries) {
                into.problem("log head: says " + head.size() + " entries, " + entries + " are stored");
            } else if (!MessageDigest.isEqual(edge.root(), head.root() == null ? TreeHash.empty() : head.root())) {
                into.problem("log head: stored root differs from the root of the stored entries");
            } else {
                into.pass("log head: size " + head.size() + ", root " + Base64.getEncoder().encodeToString(edge.root()));
            }
        }

        /** Compares the stored case links with the cases each entry concerns (see {@link CaseLinks}). */
        private void checkCaseLinks(Handle on, Findings into) {
            int before = into.problems().size();
            CaseLinks.Checker checker = links.checker(into::problem);
            on.createQuery("SELECT case_id, idx FROM log_case").setFetchSize(10_000)
                    .map((rs, ctx) -> {
                        checker.stored(rs.getObject(1, java.util.UUID.class), rs.getLong(2));
                        return null;
                    }).forEach(ignored -> { });
            checker.finish();
            if (into.problems().size() == before) {
                into.pass("case links: " + checker.checked() + " links, each entry linked to exactly the cases it concerns");
            }
        }

        private void compareWithTables(Findings into) {
            new TableComparison(mapper, replay, signIns, proposals.pendingRecords(mapper), into).compare(handle);
        }
    }

    /** Threads that do not keep the JVM alive (verify-log's work stops with its command). */
    static ExecutorService daemonThreads(String name, int count) {
        return Executors.newFixedThreadPool(count, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
