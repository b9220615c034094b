package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.Core;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.access.Viewer;
import org.custody.cases.CaseDetails;
import org.custody.cases.CaseRecord;
import org.custody.cases.CaseStatus;
import org.custody.cases.ForbiddenTransitionException;
import org.custody.cases.NewStatusChange;
import org.custody.cases.StatusChange;
import org.custody.cases.Category;
import org.custody.common.ConflictException;
import org.custody.common.PartialDate;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.ProofVerifier;
import org.custody.log.tree.TileStorage;
import org.custody.log.tree.NaiveTree;
import org.custody.log.tree.TilePath;
import org.custody.log.tree.TreeEdge;
import org.custody.log.tree.TreeHash;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ledger on a real database, without HTTP: random mixes of changes, some refused after they wrote,
 * submitted concurrently so they share batches. Only the accepted ones may leave a trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LedgerContract {
    Core core;
    TestDatabase db;
    java.nio.file.Path dataDirectory;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() throws Exception {
        dataDirectory = TempDirectories.create("custody-ledger");
        db = TestDatabase.fresh(database());
        core = TestConfigs.startCore(db, dataDirectory, Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        core.stop();
        TempDirectories.delete(dataDirectory);
    }

    /** Writes a marker row, then is refused when asked to: the savepoint must take the row back. */
    record MarkerChange(String marker, boolean refuse) implements Change<String> {
        @Override
        public Applied<String> apply(ChangeContext context) {
            context.handle().createUpdate("""
                    INSERT INTO users (id, username, display_name, roles, active, password_hash, created_at)
                    VALUES (:id, :username, 'marker', '', FALSE, 'none', :now)""")
                    .bind("id", UUID.randomUUID()).bind("username", marker).bind("now", context.now()).execute();
            if (refuse) {
                throw new ConflictException("refused on purpose");
            }
            return new Applied<>(marker, LogEvent.of(LogAction.USER_CREATED, Subject.user(null), Map.of("marker", marker)));
        }
    }

    long count(String sql) {
        return core.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void refusedChangesLeaveNoTraceAndAcceptedOnesGetGaplessEntries() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            long sizeBefore = core.logReader().size();
            long markersBefore = count("SELECT COUNT(*) FROM users WHERE display_name = 'marker'");
            int changes = 50 + random.nextInt(150);
            List<Boolean> refusals = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                refusals.add(random.nextInt(3) == 0);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Long>> indexes = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                MarkerChange change = new MarkerChange("m-" + seed + "-" + i, refusals.get(i));
                indexes.add(pool.submit(() -> {
                    try {
                        return core.ledger().submit(Actor.SYSTEM, change).logIndex();
                    } catch (ConflictException refused) {
                        return -1L;
                    }
                }));
            }
            List<Long> accepted = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                long index = indexes.get(i).get();
                assertThat(index < 0).as("change %d refused", i).isEqualTo(refusals.get(i));
                if (index >= 0) accepted.add(index);
            }
            pool.shutdown();

            long acceptedCount = refusals.stream().filter(refused -> !refused).count();
            assertThat(accepted).hasSize((int) acceptedCount).doesNotHaveDuplicates();
            assertThat(accepted).allMatch(index -> index >= sizeBefore && index < sizeBefore + acceptedCount);
            assertThat(core.logReader().size()).isEqualTo(sizeBefore + acceptedCount);
            assertThat(count("SELECT COUNT(*) FROM log_entry")).isEqualTo(sizeBefore + acceptedCount);
            assertThat(count("SELECT COUNT(*) FROM users WHERE display_name = 'marker'")).isEqualTo(markersBefore + acceptedCount);
            for (LogRecord record : core.logReader().entriesFrom(sizeBefore, changes)) {
                String marker = record.payload().get("marker").asText();
                int i = Integer.parseInt(marker.substring(marker.lastIndexOf('-') + 1));
                assertThat(refusals.get(i)).as("entry %d records refused change %s", record.index(), marker).isFalse();
                assertThat(record.entry().get("index").asLong()).isEqualTo(record.index());
            }
        }
    }

    /**
     * A change queued with others but marked {@link Change.Alone} sees every change queued before it in the log (an
     * erasure lists the entries about its case): changes of one batch have their entries written only after all are
     * applied, so it must be applied after their batch commits, and before the changes queued after it.
     */
    @Test
    void aChangeThatMustBeAloneSeesTheEntriesOfTheChangesQueuedBeforeIt() {
        for (int round = 0; round < 5; round++) {
            UUID subject = UUID.randomUUID();
            Change<Long> mention = context -> new Change.Applied<>(0L, LogEvent.aboutCase(LogAction.CASE_VIEWED, subject, Map.of("caseId", subject, "view", "record")));
            Change.Alone<Long> count = context -> new Change.Applied<>(
                    context.handle().createQuery("SELECT COUNT(*) FROM log_entry WHERE subject_id = :subject").bind("subject", subject).mapTo(Long.class).one(),
                    LogEvent.aboutCase(LogAction.CASE_VIEWED, subject, Map.of("caseId", subject, "view", "record")));
            List<Recorded<?>> recorded = core.ledger().submitAll(Actor.SYSTEM, List.of(mention, mention, count, mention));
            assertThat(recorded.get(2).value()).as("round %d", round).isEqualTo(2L);
            assertThat(recorded).extracting(Recorded::logIndex).as("in the order queued").isSorted();
        }
    }

    @Test
    void caseReferencesNumberedWithinABatchStayGaplessWhenAChangeBesideThemIsRefused() throws Exception {
        long casesBefore = count("SELECT COUNT(*) FROM cases");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> submitted = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int n = i;
            submitted.add(pool.submit(() -> {
                if (n % 3 == 0) {
                    assertThatThrownBy(() -> core.ledger().submit(Actor.SYSTEM, new MarkerChange("numbering-" + n, true)))
                            .isInstanceOf(ConflictException.class);
                } else {
                    core.cases().create(Actor.SYSTEM, person("Invented Person " + n));
                }
                return null;
            }));
        }
        for (Future<?> future : submitted) {
            future.get();
        }
        pool.shutdown();
        List<Long> numbers = core.jdbi().withHandle(handle -> handle.createQuery("SELECT reference_seq FROM cases ORDER BY reference_seq")
                .mapTo(Long.class).list());
        assertThat(numbers).hasSize((int) casesBefore + 160);
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as("reference number %d", i).isEqualTo(i + 1L);
        }
    }

    /**
     * The writer remembers the log keys between its batches; a rotation by another instance (a second server, the
     * {@code keys rotate} command) moves the log head, so the next checkpoint here is signed with the new key only.
     */
    @Test
    void aKeyRotatedByAnotherInstanceSignsThisInstancesNextCheckpoint() throws Exception {
        NoteKey before = core.logKeys().currentKey().orElseThrow();
        createCase("Invented Person Before Rotation");
        Core other = TestConfigs.startCore(db, dataDirectory, Clock.systemUTC());
        NoteKey rotated;
        try {
            rotated = other.keyAdministration().rotate(Actor.SYSTEM).value();
        } finally {
            other.stop();
        }
        long index = createCase("Invented Person After Rotation");
        String note = core.jdbi().withHandle(handle -> handle.createQuery("SELECT note FROM log_checkpoint WHERE size = :size")
                .bind("size", index + 1).mapTo(String.class).one());
        assertThat(SignedNote.parse(note).verifiedBy(List.of(before, rotated))).containsExactly(rotated);
    }

    /**
     * On H2 the writer starts each batch from the head its last batch committed, without reading it; another writer on
     * the same file (possible only within one JVM) must make it read the head again, not write over the other's entries.
     */
    @Test
    void aHeadMovedByAnotherWriterIsReadAgainNotWrittenOver() throws Exception {
        createCase("Invented Person Written Here");
        Core other = TestConfigs.startCore(db, dataDirectory, Clock.systemUTC());
        long elsewhere;
        try {
            elsewhere = other.cases().create(Actor.SYSTEM, person("Invented Person Written Elsewhere")).logIndex();
        } finally {
            other.stop();
        }
        byte[] entryElsewhere = entryBytes(elsewhere);
        long here = createCase("Invented Person Written Here Again");
        assertThat(here).isEqualTo(elsewhere + 1);
        assertThat(count("SELECT COUNT(*) FROM log_entry")).as("gapless").isEqualTo(core.logReader().size()).isEqualTo(here + 1);
        assertThat(count("SELECT COUNT(*) FROM log_checkpoint WHERE size = " + (here + 1))).isOne();
        assertThat(entryBytes(elsewhere)).as("the other writer's entry stands").isEqualTo(entryElsewhere);
        byte[] storedRoot = core.jdbi().withHandle(handle -> handle.createQuery("SELECT root FROM log_head").mapTo(byte[].class).one());
        org.custody.log.tree.TreeEdge rebuilt = org.custody.log.tree.TreeEdge.empty();
        core.jdbi().withHandle(handle -> handle.createQuery("SELECT entry_bytes FROM log_entry ORDER BY idx").mapTo(byte[].class).list())
                .forEach(bytes -> rebuilt.append(org.custody.log.tree.TreeHash.leaf(bytes)));
        assertThat(storedRoot).as("the head's root is the root of the stored entries").isEqualTo(rebuilt.root());
    }

    private byte[] entryBytes(long index) {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT entry_bytes FROM log_entry WHERE idx = :idx").bind("idx", index)
                .mapTo(byte[].class).one());
    }

    private long createCase(String name) {
        return core.cases().create(Actor.SYSTEM, person(name)).logIndex();
    }

    /** An invented person's case details: a name and nothing else. */
    private static CaseDetails person(String name) {
        return new CaseDetails(new CaseDetails.Person(name, null, List.of(), null, null, null, null), Category.UNKNOWN, null, null, null, null);
    }

    /** A read record linked to {@code cases} (none, one or several), as the read recorder writes one. */
    record ViewChange(UUID evidenceId, List<UUID> cases) implements Change<Void> {
        @Override
        public Applied<Void> apply(ChangeContext context) {
            Map<String, Object> payload = Map.of("evidenceId", evidenceId, "view", "record", "caseIds", cases);
            return new Applied<>(null, new LogEvent(LogAction.EVIDENCE_VIEWED, Subject.evidence(evidenceId), payload, Set.copyOf(cases)));
        }
    }

    /**
     * Every row a batch writes is as its entry says, across tile boundaries: entries linked to no case, one or several,
     * with a subject and without, submitted concurrently so that batches hold several and tiles fill in mid-batch (on
     * PostgreSQL a batch's rows go as one statement, a finished tile's apart).
     */
    @Test
    void aBatchsRowsAreStoredAsItsEntriesSayAcrossTileBoundaries() throws Exception {
        List<UUID> cases = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        long sizeBefore = core.logReader().size();
        int changes = 600;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            int n = i;
            submitted.add(pool.submit(() -> n % 5 == 4
                    ? core.ledger().submit(Actor.SYSTEM, new MarkerChange("rows-" + n, false)).logIndex()
                    : core.ledger().submit(Actor.SYSTEM, new ViewChange(UUID.randomUUID(), cases.subList(0, n % 4))).logIndex()));
        }
        for (Future<Long> future : submitted) {
            future.get();
        }
        pool.shutdown();
        long size = core.logReader().size();
        assertThat(size).isEqualTo(sizeBefore + changes);
        assertThat(count("SELECT COUNT(*) FROM log_checkpoint WHERE size > " + sizeBefore)).as("batches of more than one").isLessThan(changes);

        TreeEdge rebuilt = TreeEdge.empty();
        core.jdbi().withHandle(handle -> handle.createQuery("SELECT entry_bytes FROM log_entry ORDER BY idx").mapTo(byte[].class).list())
                .forEach(bytes -> rebuilt.append(TreeHash.leaf(bytes)));
        core.jdbi().useHandle(handle -> {
            for (long tile = sizeBefore / TileStorage.WIDTH; tile * TileStorage.WIDTH < size; tile++) {
                byte[] stored = new JdbiTileStorage(handle).read(0, tile);
                for (long index = Math.max(sizeBefore, tile * TileStorage.WIDTH); index < Math.min(size, (tile + 1) * TileStorage.WIDTH); index++) {
                    int at = (int) (index % TileStorage.WIDTH) * TreeHash.SIZE;
                    assertThat(Arrays.copyOfRange(stored, at, at + TreeHash.SIZE)).as("stored leaf hash %d", index)
                            .isEqualTo(TreeHash.leaf(entryBytes(index)));
                }
            }
            TreeEdge reloaded = TreeEdge.load(new JdbiTileStorage(handle), size);
            assertThat(reloaded.root()).as("the stored tiles give the root of the stored entries").isEqualTo(rebuilt.root());
        });
        byte[] headRoot = core.jdbi().withHandle(handle -> handle.createQuery("SELECT root FROM log_head").mapTo(byte[].class).one());
        assertThat(headRoot).isEqualTo(rebuilt.root());
        String latest = core.jdbi().withHandle(handle -> handle.createQuery("SELECT note FROM log_checkpoint WHERE size = :size")
                .bind("size", size).mapTo(String.class).one());
        assertThat(latest).contains("\n" + size + "\n" + Base64.getEncoder().encodeToString(rebuilt.root()) + "\n");

        for (LogRecord record : core.logReader().entriesFrom(sizeBefore, changes)) {
            JsonNode entry = record.entry();
            Map<String, Object> row = core.jdbi().withHandle(handle -> handle.createQuery("""
                    SELECT e.action, e.subject_type, CAST(e.subject_id AS VARCHAR(36)) AS subject_id, p.salt, p.payload
                    FROM log_entry e JOIN log_payload p ON p.idx = e.idx WHERE e.idx = :idx""").bind("idx", record.index()).mapToMap().one());
            assertThat(row.get("action")).isEqualTo(entry.get("action").asText());
            assertThat(row.get("subject_type")).isEqualTo(entry.get("subject").get("type").asText());
            assertThat(row.get("subject_id")).isEqualTo(entry.get("subject").get("id").isNull() ? null : entry.get("subject").get("id").asText());
            Instant recordedAt = core.jdbi().withHandle(handle -> handle.createQuery("SELECT recorded_at FROM log_entry WHERE idx = :idx")
                    .bind("idx", record.index()).mapTo(Instant.class).one());
            assertThat(EntryEncoder.time(recordedAt)).isEqualTo(entry.get("time").asText());
            assertThat(Base64.getEncoder().encodeToString(EntryEncoder.commitment((byte[]) row.get("salt"), (String) row.get("payload"))))
                    .as("payload commitment of entry %d", record.index()).isEqualTo(entry.get("payload").asText());
            List<UUID> linked = core.jdbi().withHandle(handle -> handle.createQuery("SELECT case_id FROM log_case WHERE idx = :idx ORDER BY case_id")
                    .bind("idx", record.index()).mapTo(UUID.class).list());
            List<UUID> expected = new ArrayList<>();
            record.payload().path("caseIds").forEach(caseId -> expected.add(UUID.fromString(caseId.asText())));
            assertThat(linked).as("case links of entry %d", record.index()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(count("SELECT COUNT(*) FROM log_case WHERE idx >= " + sizeBefore)).isEqualTo(linksFor(changes));
    }

    /** How many case links {@link #aBatchsRowsAreStoredAsItsEntriesSayAcrossTileBoundaries} writes: change i links i % 4 cases unless i % 5 == 4. */
    private static long linksFor(int changes) {
        long links = 0;
        for (int i = 0; i < changes; i++) {
            links += i % 5 == 4 ? 0 : i % 4;
        }
        return links;
    }

    /**
     * Status changes of one case that share a batch are stored one after another: each numbered on from the one
     * before (their rows are sent together at the batch's end) and each starting from the status the one before left,
     * with changes refused in between (a move to the status the case already has) taking nothing away.
     */
    @Test
    void statusChangesOfOneCaseSharingABatchFollowEachOther() throws Exception {
        User user = core.users().create(Actor.SYSTEM, new NewUser("ledger-worker", "Ledger Worker", "a long test password",
                EnumSet.of(Role.CASE_WORKER))).value();
        Actor worker = new Actor(user.id(), user.username());
        Viewer viewer = Viewer.caseWorker(user.id(), Instant.now());
        List<UUID> caseIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            caseIds.add(core.cases().create(worker, person("Invented Detainee " + i)).value().id());
        }
        List<CaseStatus> targets = List.of(CaseStatus.WHEREABOUTS_UNKNOWN, CaseStatus.DETENTION_CONFIRMED);
        Random random = new Random(7);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<StatusChange>> submitted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UUID caseId = caseIds.get(random.nextInt(caseIds.size()));
            NewStatusChange request = new NewStatusChange(targets.get(random.nextInt(targets.size())), PartialDate.exact("2021"), null, List.of());
            submitted.add(pool.submit(() -> {
                try {
                    return core.cases().changeStatus(worker, viewer, caseId, request).value();
                } catch (ForbiddenTransitionException refused) {
                    return null;
                }
            }));
        }
        Map<UUID, StatusChange> accepted = new HashMap<>();
        for (Future<StatusChange> future : submitted) {
            StatusChange change = future.get();
            if (change != null) accepted.put(change.id(), change);
        }
        pool.shutdown();

        for (UUID caseId : caseIds) {
            List<StatusChange> stored = core.cases().timeline(viewer, caseId, 0, 10_000).items();
            assertThat(stored).as("status changes of a case").hasSize((int) accepted.values().stream().filter(c -> c.caseId().equals(caseId)).count())
                    .hasSizeGreaterThan(10);
            CaseStatus status = CaseStatus.REPORTED;
            for (int i = 0; i < stored.size(); i++) {
                StatusChange row = stored.get(i);
                assertThat(row.sequence()).as("number of change %d", i).isEqualTo(i + 1);
                assertThat(row.fromStatus()).as("status before change %d", i).isEqualTo(status);
                assertThat(row.status()).isNotEqualTo(status);
                assertThat(accepted.get(row.id())).as("what the submitter was told of change %d", i).isEqualTo(row);
                status = row.status();
            }
            CaseRecord now = core.cases().get(viewer, caseId);
            assertThat(now.status()).isEqualTo(status);
            assertThat(now.version()).isEqualTo(1L + stored.size());
        }
    }

    /**
     * Proofs served while the log grows, each checked against a tree rebuilt from the stored entries. Proofs remember
     * what they read of the edge tiles and afterwards ask only for what was added: this catches a remembered tile taken
     * for another, or parts missed or read twice, as the edge moves across tile boundaries, in batches of one entry
     * and of many. The edge tiles themselves, as {@code /log/tile/…} serves them, are checked against the same entries.
     */
    @Test
    void proofsStayRightAsTheEdgeTheyRememberMoves() throws Exception {
        if (database() == TestDatabase.Kind.H2) {
            db.execute("SET QUERY_STATISTICS TRUE"); // H2 then lists each statement text it ran
        }
        LogProofs proofs = new LogProofs(core.jdbi(), core.logKeys());
        Random random = new Random(11);
        TreeEdge rebuilt = TreeEdge.empty();
        List<byte[]> leaves = new ArrayList<>();
        Map<Long, byte[]> roots = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Base64.Decoder b64 = Base64.getDecoder();
        for (int round = 0; round < 60; round++) {
            int changes = random.nextInt(4) == 0 ? 1 + random.nextInt(150) : 1 + random.nextInt(3);
            List<Future<Long>> submitted = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                submitted.add(pool.submit(() -> core.ledger().submit(Actor.SYSTEM, new ViewChange(UUID.randomUUID(), List.of())).logIndex()));
            }
            for (Future<Long> future : submitted) {
                future.get();
            }
            long size = core.logReader().size();
            core.jdbi().withHandle(handle -> handle.createQuery("SELECT entry_bytes FROM log_entry WHERE idx >= :from ORDER BY idx")
                    .bind("from", leaves.size()).mapTo(byte[].class).list()).forEach(bytes -> {
                        leaves.add(TreeHash.leaf(bytes));
                        rebuilt.append(TreeHash.leaf(bytes));
                    });
            assertThat(rebuilt.size()).isEqualTo(size);
            roots.put(size, rebuilt.root());
            // the edge tiles as a tlog client reads them: level 0 the leaves after the last full tile, level 1 the roots of the full ones
            if (size % 256 > 0) {
                assertThat(proofs.tile(new TilePath(0, size / 256, (int) (size % 256))))
                        .isEqualTo(concatenated(leaves.subList((int) (size / 256 * 256), (int) size)));
            }
            if (size >= 256) {
                List<byte[]> fullTileRoots = new ArrayList<>();
                for (int tile = 0; tile < size / 256; tile++) {
                    fullTileRoots.add(NaiveTree.mth(leaves.subList(tile * 256, tile * 256 + 256)));
                }
                assertThat(proofs.tile(new TilePath(1, 0, fullTileRoots.size()))).isEqualTo(concatenated(fullTileRoots));
            }
            List<Long> sizes = List.copyOf(roots.keySet());
            for (int check = 0; check < 4; check++) {
                long treeSize = check == 0 ? size : sizes.get(random.nextInt(sizes.size()));
                long index = (long) (random.nextDouble() * treeSize);
                LogProofs.InclusionProof inclusion = proofs.inclusion(index, treeSize);
                assertThat(b64.decode(inclusion.root())).as("root of %d entries", treeSize).isEqualTo(roots.get(treeSize));
                assertThat(b64.decode(inclusion.leafHash())).isEqualTo(leaves.get((int) index));
                ProofVerifier.verifyInclusion(index, treeSize, leaves.get((int) index), inclusion.proof().stream().map(b64::decode).toList(),
                        roots.get(treeSize));
                long from = sizes.get(random.nextInt(sizes.size()));
                LogProofs.ConsistencyProof consistency = proofs.consistency(Math.min(from, treeSize), Math.max(from, treeSize));
                ProofVerifier.verifyConsistency(consistency.from(), consistency.to(), roots.get(consistency.from()), roots.get(consistency.to()),
                        consistency.proof().stream().map(b64::decode).toList());
            }
        }
        pool.shutdown();
        assertThat(leaves).as("the edge crossed tile boundaries").hasSizeGreaterThan(2 * 256);
        if (database() == TestDatabase.Kind.H2) {
            // the proofs' statements (those that read the head too): one text for each number of tiles read, whichever of
            // them the edge knew, since a connection parses and plans each new text, and proofs have many shapes
            List<Integer> tilesRead = core.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS WHERE SQL_STATEMENT LIKE '%(SELECT -1 AS tile_level%'")
                    .mapTo(String.class).list()).stream().map(sql -> sql.split("FROM log_tile WHERE", -1).length - 1).toList();
            db.execute("SET QUERY_STATISTICS FALSE");
            assertThat(tilesRead).as("tiles read by each statement text").hasSizeGreaterThan(2).doesNotHaveDuplicates();
        }
    }

    private static byte[] concatenated(List<byte[]> hashes) {
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        hashes.forEach(hash -> joined.write(hash, 0, hash.length));
        return joined.toByteArray();
    }

    @Test
    void aRefusalReachesTheSubmitterUnchanged() {
        assertThatThrownBy(() -> core.ledger().submit(Actor.SYSTEM, new MarkerChange("refused-alone", true)))
                .isInstanceOf(ConflictException.class).hasMessage("refused on purpose");
        assertThat(count("SELECT COUNT(*) FROM users WHERE username = 'refused-alone'")).isZero();
    }

    /** Writes a marker row, then fails as the JVM fails when other requests have taken the heap. */
    record FailingChange(String marker, Error failure) implements Change<String> {
        @Override
        public Applied<String> apply(ChangeContext context) {
            new MarkerChange(marker, false).apply(context);
            throw failure;
        }
    }

    /**
     * Out of memory in the writer's thread (a flood of downloads once caused it) fails that batch only: nothing of it is
     * stored, its callers are told to try again, and the writer lives on to commit the next one.
     */
    @Test
    void theWriterOutlivesAnErrorInABatch() throws Exception {
        long sizeBefore = core.logReader().size();
        for (Error failure : List.of(new OutOfMemoryError("simulated"), new StackOverflowError())) {
            assertThatThrownBy(() -> core.ledger().submit(Actor.SYSTEM, new FailingChange("failed-" + failure.getClass().getSimpleName(), failure)))
                    .isInstanceOf(org.custody.common.ServiceUnavailableException.class);
        }
        assertThat(count("SELECT COUNT(*) FROM users WHERE username LIKE 'failed-%'")).isZero();
        assertThat(core.logReader().size()).isEqualTo(sizeBefore);
        assertThat(core.ledger().submit(Actor.SYSTEM, new MarkerChange("after-the-failures", false)).value()).isEqualTo("after-the-failures");
        assertThat(count("SELECT COUNT(*) FROM users WHERE username = 'after-the-failures'")).isEqualTo(1);
        assertThat(core.logReader().size()).isEqualTo(sizeBefore + 1);
        List<byte[]> leaves = core.jdbi().withHandle(handle -> handle.createQuery("SELECT entry_bytes FROM log_entry ORDER BY idx")
                .mapTo(byte[].class).list()).stream().map(TreeHash::leaf).toList();
        Checkpoint latest = Checkpoint.parse(SignedNote.parse(new LogProofs(core.jdbi(), core.logKeys()).latestCheckpoint()).body());
        assertThat(latest.size()).isEqualTo(sizeBefore + 1);
        assertThat(latest.root()).as("the failed batches left nothing in the tree the writer remembers").isEqualTo(NaiveTree.mth(leaves));
    }
}
