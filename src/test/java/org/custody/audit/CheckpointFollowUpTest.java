package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.HashSource;
import org.custody.log.tree.MerkleTree;
import org.custody.log.tree.TreeHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The follow-up of a kept checkpoint against a service that answers as it likes: here a small HTTP server of the test's
 * own, serving trees of invented entries signed with a key of the test's own, so that an honest log, a rolled-back one,
 * a rewritten one and a lying one can each be served. {@code LogApiContract} runs the command against the real service.
 */
class CheckpointFollowUpTest {
    private static final String ORIGIN = "custody.test/log";
    private final LogSigner key = new LogSigner(ORIGIN, new Ed25519PrivateKeyParameters(new SecureRandom()));
    private final Map<String, String> answers = new HashMap<>();
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String answer = answers.get(exchange.getRequestURI().toString());
            byte[] body = (answer == null ? "{\"status\":404}" : answer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aLogThatGrewPassesAndItsCheckpointIsOfferedForKeeping() {
        List<byte[]> log = entries("a", 9);
        String kept = checkpoint(log, 5, key);
        String current = serveCheckpoint(log, 9, key);
        serveProof(log, 5, 9);

        CheckpointFollowUp.Outcome outcome = check(kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).isEmpty();
        assertThat(outcome.findings().passed()).anyMatch(line -> line.startsWith("consistency proof (RFC 9162 §2.1.4, ")
                && line.contains("the log of 5 entries is a prefix of today's 9"));
        assertThat(outcome.findings().warnings()).isEmpty();
        assertThat(outcome.current()).contains(current);
    }

    @Test
    void aServiceBehindAProxyPathIsAskedUnderThatPath() {
        List<byte[]> log = entries("a", 9);
        String kept = checkpoint(log, 5, key);
        String current = checkpoint(log, 9, key);
        answers.put("/custody/api/v1/log/checkpoint", current);
        answers.put("/custody/api/v1/log/proofs/consistency?from=5&to=9", proofJson(log, 5, 9, root(log, 5)));
        URI service = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/custody/");
        CheckpointFollowUp.Outcome outcome = check(service, kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).isEmpty();
        assertThat(outcome.current()).contains(current);
    }

    @Test
    void afterAKeyRotationBothPublishedKeysAreGivenAndEachCheckpointChecksWithItsOwn() {
        LogSigner rotated = new LogSigner(ORIGIN, new Ed25519PrivateKeyParameters(new SecureRandom()));
        List<byte[]> log = entries("a", 9);
        String kept = checkpoint(log, 5, key);
        serveCheckpoint(log, 9, rotated);
        serveProof(log, 5, 9);

        CheckpointFollowUp.Outcome both = check(kept, List.of(key.key().verifierKey(), rotated.key().verifierKey()));
        assertThat(both.findings().problems()).isEmpty();
        assertThat(both.findings().passed()).contains("the kept checkpoint: tree of 5 entries of " + ORIGIN + ", signed by " + key.key().label(),
                "the service's checkpoint: tree of 9 entries of " + ORIGIN + ", signed by " + rotated.key().label());

        CheckpointFollowUp.Outcome oldOnly = check(kept, List.of(key.key().verifierKey()));
        assertThat(oldOnly.findings().problems()).containsExactly("the service's checkpoint: not signed by the key " + key.key().label()
                + " (its signature lines name " + rotated.key().label() + ")");
    }

    @Test
    void theSameTreeIsStillTheSameTree() {
        List<byte[]> log = entries("a", 6);
        String kept = serveCheckpoint(log, 6, key);
        CheckpointFollowUp.Outcome outcome = check(kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).isEmpty();
        assertThat(outcome.findings().passed()).contains("the service's log is still the tree of 6 entries the kept checkpoint covers");
    }

    @Test
    void aLogRolledBackBelowTheKeptCheckpointIsCaught() {
        List<byte[]> log = entries("a", 9);
        String kept = checkpoint(log, 9, key);
        serveCheckpoint(log, 4, key);
        CheckpointFollowUp.Outcome outcome = check(kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).containsExactly("the service's log has 4 entries, fewer than the 9 of the kept checkpoint: "
                + "it was rolled back or replaced; keep both checkpoints, together they are signed evidence of it");
        assertThat(outcome.current()).isEmpty();
    }

    @Test
    void aLogRewrittenToTheSameSizeIsCaught() {
        List<byte[]> log = entries("a", 7);
        List<byte[]> rewritten = new ArrayList<>(log);
        rewritten.set(3, TreeHash.leaf("an entry put in another's place".getBytes(StandardCharsets.UTF_8)));
        String kept = checkpoint(log, 7, key);
        serveCheckpoint(rewritten, 7, key);
        CheckpointFollowUp.Outcome outcome = check(kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).containsExactly("both checkpoints are of 7 entries but their roots differ: the log was rewritten;"
                + " keep both checkpoints, together they are signed evidence of it");
    }

    @Test
    void aRewrittenLogThatGrewOnHasNoProofThatFits() {
        List<byte[]> log = entries("a", 12);
        List<byte[]> rewritten = new ArrayList<>(log);
        rewritten.set(2, TreeHash.leaf("an entry put in another's place".getBytes(StandardCharsets.UTF_8)));
        String kept = checkpoint(log, 5, key);
        serveCheckpoint(rewritten, 12, key);
        // the rewritten log's own, honest proof from its own tree of 5, sent with the kept checkpoint's root beside it
        serveProof(rewritten, 5, 12, root(log, 5));
        CheckpointFollowUp.Outcome outcome = check(kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).singleElement().asString()
                .startsWith("the service's log of 12 entries is not shown to extend the kept checkpoint's 5 (")
                .endsWith("): it may have been rewritten; keep both checkpoints and ask the organisation");
        assertThat(outcome.current()).isEmpty();
    }

    @Test
    void aProofBetweenOtherSizesIsNoProof() {
        List<byte[]> log = entries("a", 9);
        String kept = checkpoint(log, 5, key);
        serveCheckpoint(log, 9, key);
        String proof = proofJson(log, 4, 9, root(log, 4));
        answers.put("/api/v1/log/proofs/consistency?from=5&to=9", proof);
        CheckpointFollowUp.Outcome outcome = check(kept, List.of(key.key().verifierKey()));
        assertThat(outcome.findings().problems()).singleElement().asString()
                .contains("(the service answered with a proof between other sizes, or none)");
    }

    @Test
    void checkpointsNotSignedByATrustedKeyProveNothing() {
        LogSigner impostor = new LogSigner(ORIGIN, new Ed25519PrivateKeyParameters(new SecureRandom()));
        List<byte[]> log = entries("a", 9);
        serveCheckpoint(log, 9, key);
        serveProof(log, 5, 9);

        CheckpointFollowUp.Outcome forgedKept = check(checkpoint(log, 5, impostor), List.of(key.key().verifierKey()));
        assertThat(forgedKept.findings().problems()).containsExactly(
                "the kept checkpoint: not signed by the key " + ORIGIN + "+" + key.key().keyIdHex() + " (its signature lines name " + impostor.key().label() + ")",
                "nothing else was checked: a checkpoint no trusted key signed proves nothing");

        serveCheckpoint(log, 9, impostor);
        CheckpointFollowUp.Outcome forgedCurrent = check(checkpoint(log, 5, key), List.of(key.key().verifierKey()));
        assertThat(forgedCurrent.findings().problems()).containsExactly("the service's checkpoint: not signed by the key " + ORIGIN + "+" + key.key().keyIdHex()
                + " (its signature lines name " + impostor.key().label() + ")");
        assertThat(forgedCurrent.current()).isEmpty();
    }

    @Test
    void withoutAPublishedKeyTheServicesOwnListIsUsedAndThatIsSaid() {
        List<byte[]> log = entries("a", 9);
        String kept = checkpoint(log, 5, key);
        serveCheckpoint(log, 9, key);
        serveProof(log, 5, 9);
        answers.put("/api/v1/log/keys", "[{\"verifierKey\":\"" + key.key().verifierKey() + "\"}]");
        CheckpointFollowUp.Outcome outcome = check(kept, List.of());
        assertThat(outcome.findings().problems()).isEmpty();
        assertThat(outcome.findings().warnings()).singleElement().asString().startsWith("no --vkey given: the checkpoints are checked with the keys the service lists");
    }

    @Test
    void aServiceThatDoesNotAnswerIsAProblemNotACrash() {
        List<byte[]> log = entries("a", 5);
        String kept = checkpoint(log, 5, key);
        CheckpointFollowUp.Outcome missing = check(kept, List.of(key.key().verifierKey()));
        assertThat(missing.findings().problems()).singleElement().asString().endsWith("/api/v1/log/checkpoint: answered 404");

        URI gone = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        server.stop(0);
        server = null;
        CheckpointFollowUp.Outcome unreachable = check(gone, kept, List.of(key.key().verifierKey()));
        assertThat(unreachable.findings().problems()).singleElement().asString().contains("/api/v1/log/checkpoint: no answer (");
    }

    @Test
    void aMalformedVerifierKeyIsNamed() {
        CheckpointFollowUp.Outcome outcome = check(checkpoint(entries("a", 3), 3, key), List.of("not-a-key"));
        assertThat(outcome.findings().problems()).containsExactly("--vkey not-a-key: not a verifier key (a verifier key is <name>+<8 hex digits>+<base64 key>)");
    }

    private CheckpointFollowUp.Outcome check(String kept, List<String> keys) {
        return check(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), kept, keys);
    }

    private static CheckpointFollowUp.Outcome check(URI service, String kept, List<String> keys) {
        return new CheckpointFollowUp(HttpClient.newHttpClient(), service, new ObjectMapper(), Duration.ofSeconds(5)).check(kept, keys);
    }

    private static List<byte[]> entries(String prefix, int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(TreeHash.leaf((prefix + " invented entry " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    private String serveCheckpoint(List<byte[]> leaves, int size, LogSigner signer) {
        String text = checkpoint(leaves, size, signer);
        answers.put("/api/v1/log/checkpoint", text);
        return text;
    }

    private void serveProof(List<byte[]> leaves, int from, int to) {
        serveProof(leaves, from, to, root(leaves, from));
    }

    private void serveProof(List<byte[]> leaves, int from, int to, byte[] claimedFromRoot) {
        answers.put("/api/v1/log/proofs/consistency?from=" + from + "&to=" + to, proofJson(leaves, from, to, claimedFromRoot));
    }

    private static String proofJson(List<byte[]> leaves, int from, int to, byte[] claimedFromRoot) {
        List<String> hashes = tree(leaves).consistencyProof(from, to).stream().map(hash -> '"' + Base64.getEncoder().encodeToString(hash) + '"').toList();
        return "{\"from\":" + from + ",\"to\":" + to + ",\"fromRoot\":\"" + Base64.getEncoder().encodeToString(claimedFromRoot)
                + "\",\"toRoot\":\"" + Base64.getEncoder().encodeToString(root(leaves, to)) + "\",\"proof\":[" + String.join(",", hashes) + "]}";
    }

    private static String checkpoint(List<byte[]> leaves, int size, LogSigner signer) {
        return SignedNote.sign(new Checkpoint(ORIGIN, size, root(leaves, size)).body(), List.of(signer)).text();
    }

    private static byte[] root(List<byte[]> leaves, int size) {
        return tree(leaves).root(size);
    }

    /** The tree over {@code leaves}, every node hashed from them on demand (test-sized trees). */
    private static MerkleTree tree(List<byte[]> leaves) {
        HashSource nodes = new HashSource() {
            @Override
            public byte[] node(int level, long index) {
                if (level == 0) {
                    return leaves.get((int) index);
                }
                return TreeHash.node(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
            }
        };
        return new MerkleTree(nodes);
    }
}
