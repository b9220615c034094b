package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.NaiveTree;
import org.custody.log.tree.TreeHash;
import org.custody.support.TestApp;
import org.custody.support.TestApp.BinaryReply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The log's hash tiles as c2sp.org/tlog-tiles serves them, fetched without signing in and checked the way a tlog client
 * would: against the leaf hashes of the entries and the signed checkpoint's root, computed here from the RFC's
 * definition, not with the service's tree code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogTilesContract {
    static final int HASH = 32;

    TestApp app;
    /** The checkpoint read after the writes: a log of more than one full tile and less than two. */
    Checkpoint checkpoint;
    /** The bytes of every entry of that checkpoint's tree, by index, as {@code /log/entries} gives them. */
    List<byte[]> entries;
    /** Their leaf hashes. */
    List<byte[]> leaves;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(database());
        String worker = app.userWithRoles("worker", "CASE_WORKER");
        createCases(worker, 300);
        checkpoint = verified(app.get("/api/v1/log/checkpoint", null).body());
        assertThat(checkpoint.size()).as("a full tile at level 0 and a partial one after it").isBetween(257L, 511L);
        entries = new ArrayList<>();
        leaves = new ArrayList<>();
        for (JsonNode entry : app.get("/api/v1/log/entries?from=0&limit=" + checkpoint.size(), app.adminToken()).json()) {
            entries.add(Base64.getDecoder().decode(entry.get("entryBytes").asText()));
            leaves.add(TreeHash.leaf(entries.get(entries.size() - 1)));
        }
        assertThat(leaves).hasSize((int) checkpoint.size());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    /** Eight writers at once, so that batches hold several entries and tiles grow by parts of several hashes. */
    private void createCases(String worker, int count) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = "{\"person\":{\"fullName\":\"Invented Tiled " + i + "\"},\"category\":\"UNKNOWN\"}";
                writes.add(writers.submit(() -> app.post("/api/v1/cases", worker, body).expect(201)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdown();
        }
    }

    private Checkpoint verified(String text) throws Exception {
        List<NoteKey> keys = new ArrayList<>();
        app.get("/api/v1/log/keys", null).json().forEach(key -> keys.add(NoteKey.parseVerifierKey(key.get("verifierKey").asText())));
        SignedNote note = SignedNote.parse(text);
        assertThat(note.verifiedBy(keys)).isNotEmpty();
        return Checkpoint.parse(note.body());
    }

    private byte[] tile(String path) {
        BinaryReply reply = app.download("/api/v1/log/" + path, null);
        assertThat(reply.status()).as(path + ": " + reply).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(reply.header("Cache-Control")).as("a tile never changes").isEqualTo("public, max-age=31536000, immutable");
        return reply.body();
    }

    private static List<byte[]> hashes(byte[] tile) {
        List<byte[]> hashes = new ArrayList<>();
        for (int at = 0; at < tile.length; at += HASH) {
            hashes.add(Arrays.copyOfRange(tile, at, at + HASH));
        }
        return hashes;
    }

    @Test
    void theTilesHoldTheEntriesLeafHashesAndHashUpToTheSignedRoot() {
        int size = (int) checkpoint.size();
        byte[] full = tile("tile/0/000");
        assertThat(full).hasSize(256 * HASH);
        assertThat(hashes(full)).zipSatisfy(leaves.subList(0, 256), (served, leaf) -> assertThat(served).isEqualTo(leaf));

        byte[] partial = tile("tile/0/001.p/" + (size - 256));
        assertThat(hashes(partial)).zipSatisfy(leaves.subList(256, size), (served, leaf) -> assertThat(served).isEqualTo(leaf));
        // a narrower partial tile, as a checkpoint of an earlier size calls for, is the same hashes cut short
        assertThat(tile("tile/0/001.p/1")).isEqualTo(Arrays.copyOf(partial, HASH));

        byte[] levelOne = tile("tile/1/000.p/1");
        assertThat(levelOne).as("at level 1, the root of the first 256 entries").isEqualTo(NaiveTree.mth(leaves.subList(0, 256)));

        // what a client does with them: the root of the checkpoint's tree from the served hashes alone
        List<byte[]> servedLeaves = new ArrayList<>(hashes(full));
        servedLeaves.addAll(hashes(partial));
        assertThat(NaiveTree.mth(servedLeaves)).isEqualTo(checkpoint.root());
        assertThat(TreeHash.node(levelOne, NaiveTree.mth(hashes(partial)))).as("for a size of 257 to 511 entries")
                .isEqualTo(checkpoint.root());
    }

    /** What a tlog client does with an administrator's token: every entry from the bundles, checked against the tiles and the root. */
    @Test
    void anAdministratorReadsTheEntriesInBundlesThatHashToTheTilesAndTheSignedRoot() {
        int size = (int) checkpoint.size();
        String admin = app.adminToken();
        List<byte[]> bundled = new ArrayList<>(entriesOf(bundle("tile/entries/000", admin)));
        assertThat(bundled).hasSize(256);
        List<byte[]> partial = entriesOf(bundle("tile/entries/001.p/" + (size - 256), admin));
        bundled.addAll(partial);
        assertThat(bundled).zipSatisfy(entries, (served, entry) -> assertThat(served).isEqualTo(entry));
        assertThat(entriesOf(bundle("tile/entries/001.p/2", admin))).as("a narrower bundle: the first entries")
                .zipSatisfy(partial.subList(0, 2), (served, entry) -> assertThat(served).isEqualTo(entry));

        List<byte[]> leafHashes = bundled.stream().map(TreeHash::leaf).toList();
        assertThat(leafHashes.subList(0, 256)).zipSatisfy(hashes(tile("tile/0/000")), (leaf, tiled) -> assertThat(leaf).isEqualTo(tiled));
        assertThat(NaiveTree.mth(leafHashes)).isEqualTo(checkpoint.root());

        // entries name staff: an administrator's, like /log/entries, and never cached
        assertThat(app.download("/api/v1/log/tile/entries/000", null).status()).isEqualTo(401);
        assertThat(app.download("/api/v1/log/tile/entries/000", app.userWithRoles("bundle.reader", "CASE_WORKER")).status()).isEqualTo(403);
        for (String absent : List.of("tile/entries/001", "tile/entries/001.p/" + (app.logSize() - 256 + 1), "tile/entries/0", "tile/entries/000.p/256",
                "tile/entries/x000/000", "tile/entries/")) {
            TestApp.Reply reply = app.get("/api/v1/log/" + absent, admin);
            assertThat(reply.status()).as(absent).isEqualTo(404);
            assertThat(reply.header("Content-Type")).as(absent).startsWith("application/problem+json");
        }
    }

    private byte[] bundle(String path, String token) {
        BinaryReply reply = app.download("/api/v1/log/" + path, token);
        assertThat(reply.status()).as(path + ": " + reply).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        return reply.body();
    }

    /** c2sp.org/tlog-tiles: "sequences of big-endian uint16 length-prefixed log entries". */
    private static List<byte[]> entriesOf(byte[] bundle) {
        List<byte[]> entries = new ArrayList<>();
        for (int at = 0; at < bundle.length; ) {
            int length = (bundle[at] & 0xFF) << 8 | bundle[at + 1] & 0xFF;
            entries.add(Arrays.copyOfRange(bundle, at + 2, at + 2 + length));
            at += 2 + length;
        }
        return entries;
    }

    @Test
    void aTileBeyondTheLogOrAPathTheSpecificationDoesNotSpellIsNotFound() {
        long size = app.logSize();
        List<Long> footprint = app.footprint();
        List<String> absent = new ArrayList<>(List.of(
                "tile/0/001.p/" + (size - 256 + 1), // one hash more than the log has
                "tile/0/001", "tile/0/002.p/1", "tile/1/000", "tile/2/000.p/1", "tile/7/000.p/1",
                "tile/0/x000/000", "tile/0/0", "tile/0/0000", "tile/00/000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/01",
                "tile/0/000.p/", "tile/0/000.p", "tile/8/000", "tile/64/000", "tile/-1/000", "tile/0/x1000/000", "tile/0/x001",
                "tile/0/x999/x999/x999/x999/x999/x999/x999/999", "tile/data/000", "tile/0/abc"));
        for (String path : absent) {
            TestApp.Reply reply = app.get("/api/v1/log/" + path, null);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(reply.header("Cache-Control")).as(path).isEqualTo("no-store");
        }
        assertThat(app.footprint()).as("looking writes nothing").isEqualTo(footprint);
    }
}
