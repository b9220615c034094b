package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.ProofVerifier;
import org.custody.support.Commands;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What a court expert would do with a running service: fetch checkpoints, keys and proofs, and check them offline. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogApiContract {
    TestApp app;
    String worker;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database());
        worker = app.userWithRoles("worker", "CASE_WORKER");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private List<NoteKey> publishedKeys() {
        List<NoteKey> keys = new ArrayList<>();
        app.get("/api/v1/log/keys", null).json().forEach(key -> {
            NoteKey parsed = NoteKey.parseVerifierKey(key.get("verifierKey").asText());
            assertThat(parsed.keyIdHex()).isEqualTo(key.get("keyId").asText());
            assertThat(key.get("publicKeyPem").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
            keys.add(parsed);
        });
        return keys;
    }

    private Checkpoint verifiedCheckpoint(String text) throws Exception {
        SignedNote note = SignedNote.parse(text);
        assertThat(note.verifiedBy(publishedKeys())).isNotEmpty();
        Checkpoint checkpoint = Checkpoint.parse(note.body());
        assertThat(checkpoint.origin()).isEqualTo("custody.test/log");
        return checkpoint;
    }

    private static byte[] b64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> hashes = new ArrayList<>();
        array.forEach(hash -> hashes.add(b64(hash)));
        return hashes;
    }

    @Test
    void everyAcknowledgedWriteIsCoveredByAStoredSignedCheckpoint() throws Exception {
        Reply created = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Covered Person\"},\"category\":\"UNKNOWN\"}");
        long index = Long.parseLong(created.header("Log-Index"));
        Reply latest = app.get("/api/v1/log/checkpoint", null);
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.header("Content-Type")).startsWith("text/plain");
        Checkpoint checkpoint = verifiedCheckpoint(latest.body());
        assertThat(checkpoint.size()).isGreaterThan(index);
        assertThat(latest.body()).contains("\n\n\u2014 custody.test/log ");

        Reply exact = app.get("/api/v1/log/checkpoints/" + (index + 1), null);
        assertThat(exact.status()).as("the checkpoint of the batch that wrote entry %d", index).isEqualTo(200);
        assertThat(verifiedCheckpoint(exact.body()).size()).isEqualTo(index + 1);
    }

    /**
     * Managing access does not by itself grant reading case content: an administrator is shown every entry of the
     * log (its bytes and leaf hash, so the tree stays checkable) but what an entry says about a detainee only if they
     * may read that case or evidence item, as anywhere else; the same holds in a user's activity.
     */
    @Test
    void anAdministratorIsShownWhatTheLogSaysAboutADetaineeOnlyIfTheyMayReadTheCase() {
        String admin = app.adminToken();
        long before = app.logSize();
        String caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Withheld\"},\"category\":\"UNKNOWN\"}")
                .expect(201).json().get("id").asText();
        String evidenceId = app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"Invented account of the transfer\","
                + "\"obtainedFrom\":\"x\",\"caseIds\":[\"" + caseId + "\"]}").expect(201).json().get("id").asText();
        String adminReader = app.userWithRoles("admin.reader", "ADMIN,CASE_WORKER");
        String from = "/api/v1/log/entries?from=" + before + "&limit=100";

        JsonNode seenByAdmin = app.get(from, admin).json();
        JsonNode caseCreated = find(seenByAdmin, "case.created");
        JsonNode evidenceCreated = find(seenByAdmin, "evidence.created");
        for (JsonNode withheld : List.of(caseCreated, evidenceCreated)) {
            assertThat(withheld.get("payloadWithheld").asBoolean()).isTrue();
            assertThat(withheld.get("payload").isNull()).isTrue();
            assertThat(withheld.get("salt").isNull()).isTrue();
            byte[] bytes = b64(withheld.get("entryBytes"));
            assertThat(withheld.get("leafHash").asText()).as("the tree stays checkable")
                    .isEqualTo(Base64.getEncoder().encodeToString(org.custody.log.tree.TreeHash.leaf(bytes)));
        }
        assertThat(seenByAdmin.toString()).doesNotContain("Invented Withheld").doesNotContain("Invented account");
        assertThat(find(seenByAdmin, "user.created").get("payload").get("user").get("username").asText()).as("what is not about a detainee is shown")
                .isEqualTo("admin.reader");
        long caseIndex = caseCreated.get("index").asLong();
        assertThat(app.get("/api/v1/log/entries/" + caseIndex, admin).json().get("payloadWithheld").asBoolean()).isTrue();

        // an administrator who also reads cases is shown them, until the case is restricted without a grant to them
        JsonNode seenByReader = app.get(from, adminReader).json();
        assertThat(find(seenByReader, "case.created").has("payloadWithheld")).isFalse();
        assertThat(find(seenByReader, "case.created").get("payload").toString()).contains("Invented Withheld");
        assertThat(find(seenByReader, "evidence.created").get("payload").toString()).contains("Invented account");
        String workerId = app.userId(worker);
        assertThat(app.get("/api/v1/users/" + workerId + "/activity", adminReader).json().toString()).contains("Invented Withheld");
        app.put("/api/v1/cases/" + caseId + "/restriction", admin, "{\"restricted\":true,\"reason\":\"family at risk\"}").expect(200);
        JsonNode restricted = app.get(from, adminReader).json();
        assertThat(find(restricted, "case.created").get("payloadWithheld").asBoolean()).isTrue();
        assertThat(find(restricted, "evidence.created").get("payloadWithheld").asBoolean()).as("the item concerns only that case").isTrue();
        assertThat(restricted.toString()).doesNotContain("Invented Withheld").doesNotContain("Invented account");
        assertThat(app.get("/api/v1/log/entries/" + caseIndex, adminReader).json().get("payloadWithheld").asBoolean()).isTrue();
        assertThat(app.get("/api/v1/users/" + workerId + "/activity", adminReader).json().toString()).doesNotContain("Invented Withheld");
        app.post("/api/v1/cases/" + caseId + "/grants", admin, TestApp.json("userId", app.userId(adminReader), "reason", "reviewing the file")).expect(201);
        assertThat(app.get("/api/v1/log/entries/" + caseIndex, adminReader).json().get("payload").toString()).contains("Invented Withheld");
    }

    private static JsonNode find(JsonNode entries, String action) {
        for (JsonNode item : entries) {
            if (item.get("entry").get("action").asText().equals(action)) {
                return item;
            }
        }
        throw new AssertionError("no " + action + " entry in " + entries);
    }

    @Test
    void inclusionAndConsistencyProofsVerifyAgainstSignedCheckpoints() throws Exception {
        Checkpoint before = verifiedCheckpoint(app.get("/api/v1/log/checkpoint", null).body());
        long index = 0;
        for (int i = 0; i < 5; i++) {
            index = Long.parseLong(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"P" + i + "\"},\"category\":\"UNKNOWN\"}").header("Log-Index"));
        }
        Checkpoint after = verifiedCheckpoint(app.get("/api/v1/log/checkpoint", null).body());

        JsonNode inclusion = app.get("/api/v1/log/proofs/inclusion?index=" + index + "&treeSize=" + after.size(), app.adminToken()).json();
        JsonNode entry = app.get("/api/v1/log/entries/" + index, app.adminToken()).json();
        assertThat(inclusion.get("leafHash").asText()).isEqualTo(entry.get("leafHash").asText());
        byte[] leafHash = org.custody.log.tree.TreeHash.leaf(b64(entry.get("entryBytes")));
        ProofVerifier.verifyInclusion(index, after.size(), leafHash, hashes(inclusion.get("proof")), after.root());

        JsonNode consistency = app.get("/api/v1/log/proofs/consistency?from=" + before.size() + "&to=" + after.size(), null).json();
        ProofVerifier.verifyConsistency(before.size(), after.size(), before.root(), after.root(), hashes(consistency.get("proof")));
    }

    @Test
    void aCheckpointKeptEarlierIsFollowedUpFromTheCommandLineWithThePublicApiAlone(@TempDir Path directory) throws Exception {
        Path kept = directory.resolve("kept-checkpoint.txt");
        Files.writeString(kept, app.get("/api/v1/log/checkpoint", null).body());
        long keptSize = Checkpoint.parse(SignedNote.parse(Files.readString(kept)).body()).size();
        app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Followed Up\"},\"category\":\"UNKNOWN\"}").expect(201);
        NoteKey published = publishedKeys().get(0);
        String vkey = published.verifierKey();
        String url = "http://localhost:" + app.port();

        String output = Commands.run("check-checkpoint", kept.toString(), "--url", url, "--vkey", vkey, "--save", kept.toString());
        String current = app.get("/api/v1/log/checkpoint", null).body();
        long currentSize = verifiedCheckpoint(current).size();
        assertThat(output).contains("the log of " + keptSize + " entries is a prefix of today's " + currentSize)
                .contains("the service's current checkpoint is saved in " + kept).doesNotContain("WARN").contains("VERIFIED in ");
        assertThat(Files.readString(kept)).as("the newer checkpoint, kept in the old one's place").isEqualTo(current);

        // a checkpoint of this log's origin signed by a key the organisation never published proves nothing
        LogSigner impostor = new LogSigner("custody.test/log", new Ed25519PrivateKeyParameters(new SecureRandom()));
        Path forged = directory.resolve("forged.txt");
        Files.writeString(forged, SignedNote.sign(new Checkpoint("custody.test/log", currentSize, new byte[32]).body(), List.of(impostor)).text());
        Commands.CommandFailed failed = catchThrowableOfType(Commands.CommandFailed.class,
                () -> Commands.run("check-checkpoint", forged.toString(), "--url", url, "--vkey", vkey, "--save", forged.toString()));
        assertThat(failed.output).contains("the kept checkpoint: not signed by the key " + published.label() + " (its signature lines name " + impostor.key().label() + ")\n")
                .contains("FAILED: 2 problem(s)");
        assertThat(Files.readString(forged)).as("nothing saved over a failed check").startsWith("custody.test/log\n" + currentSize + "\n");

        // a check that holds, with a --save that cannot be written: said, and the kept file left as it was
        String keptText = Files.readString(kept);
        Path nowhere = directory.resolve("no-such-directory").resolve("checkpoint.txt");
        Commands.CommandFailed unsaved = catchThrowableOfType(Commands.CommandFailed.class,
                () -> Commands.run("check-checkpoint", kept.toString(), "--url", url, "--vkey", vkey, "--save", nowhere.toString()));
        assertThat(unsaved.output).contains("FAIL --save " + nowhere + ": cannot be written (NoSuchFileException); the kept file is as it was")
                .contains("FAILED: 1 problem(s)");
        assertThat(Files.readString(kept)).isEqualTo(keptText);
    }

    @Test
    void proofRequestsOutsideTheLogAreRefusedAndEntriesNeedAnAdministrator() {
        long size = app.logSize();
        assertThat(app.get("/api/v1/log/proofs/consistency?from=0&to=" + size, null).status()).isEqualTo(422);
        assertThat(app.get("/api/v1/log/proofs/consistency?from=1&to=" + (size + 10), null).status()).isEqualTo(422);
        assertThat(app.get("/api/v1/log/proofs/consistency?from=x&to=2", null).status()).isEqualTo(422);
        assertThat(app.get("/api/v1/log/proofs/inclusion?index=" + size + "&treeSize=" + size, app.adminToken()).status()).isEqualTo(422);
        assertThat(app.get("/api/v1/log/proofs/inclusion?index=0&treeSize=1", worker).status()).isEqualTo(403);
        // a well-formed request for a tree the log does not have is refused with the log's size, up to the largest size
        String admin = app.adminToken();
        long current = app.logSize();
        for (String beyond : List.of("inclusion?index=0&treeSize=" + (current + 1), "inclusion?index=" + (Long.MAX_VALUE - 1) + "&treeSize=" + Long.MAX_VALUE,
                "consistency?from=" + Long.MAX_VALUE + "&to=" + Long.MAX_VALUE)) {
            Reply refused = app.get("/api/v1/log/proofs/" + beyond, beyond.startsWith("inclusion") ? admin : null);
            assertThat(refused.status()).as(beyond).isEqualTo(422);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo(beyond.startsWith("inclusion") ? "treeSize" : "to");
            assertThat(refused.json().get("errors").get(0).get("message").asText()).isEqualTo("must be from 1 to the log's size, " + current);
        }
        assertThat(app.get("/api/v1/log/entries", worker).status()).isEqualTo(403);
        assertThat(app.get("/api/v1/log/entries", null).status()).isEqualTo(401);
        assertThat(app.get("/api/v1/log/checkpoints/999999", null).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/log/entries?from=0&limit=5", app.adminToken()).json()).hasSize(5);
    }
}
