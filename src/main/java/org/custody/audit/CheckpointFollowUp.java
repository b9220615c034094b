package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.ProofException;
import org.custody.log.tree.ProofVerifier;

/**
 * What someone who kept a checkpoint (a lawyer, a court, a partner organisation) checks later against the running
 * service, through its public API alone: that the log the service shows today still begins with exactly the entries
 * the kept checkpoint covered. Both checkpoints must be signed by a key the holder trusts, and the RFC 9162
 * consistency proof between them is checked against their two signed roots, never against the roots the service
 * sends with it; so the check needs no account, no database and no trust in the service or its operators.
 *
 * <p>Two checkpoints signed by a trusted key that do not fit together (the newer one smaller, the same size with
 * another root, or no proof that one extends the other) are evidence that the log was rolled back or rewritten:
 * the findings say to keep both.
 */
public final class CheckpointFollowUp {
    /** A checkpoint is a few hundred bytes, a consistency proof at most 126 hashes; anything much larger is not one. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient http;
    private final URI service;
    private final ObjectMapper mapper;
    private final Duration timeout;

    /**
     * @param service the service's base address, ending in {@code /} ({@code https://custody.example.org/}, or a path
     *     under which a proxy serves it); the API's paths are resolved against it
     */
    public CheckpointFollowUp(HttpClient http, URI service, ObjectMapper mapper, Duration timeout) {
        this.http = http;
        this.service = service;
        this.mapper = mapper;
        this.timeout = timeout;
    }

    /**
     * The findings, and the service's current checkpoint as it sent it when every check held (to be kept in the old
     * one's place: it covers everything the old one did).
     */
    public record Outcome(Findings findings, Optional<String> current) {}

    /**
     * @param kept the checkpoint's text as it was kept
     * @param verifierKeys the log's verifier keys as published by its organisation ({@code <name>+<key id>+<key>}),
     *     every one that may have signed either checkpoint; none: the keys the service lists, with a warning that this
     *     proves nothing unless they are checked against a copy from elsewhere
     */
    public Outcome check(String kept, List<String> verifierKeys) {
        Findings findings = new Findings();
        try {
            List<NoteKey> trusted = trustedKeys(verifierKeys, findings);
            Checkpoint before = verified("the kept checkpoint", kept, trusted, findings);
            if (before == null) {
                findings.problem("nothing else was checked: a checkpoint no trusted key signed proves nothing");
                return new Outcome(findings, Optional.empty());
            }
            String currentText = fetchText("api/v1/log/checkpoint");
            Checkpoint now = verified("the service's checkpoint", currentText, trusted, findings);
            if (now == null) {
                return new Outcome(findings, Optional.empty());
            }
            if (!now.origin().equals(before.origin())) {
                findings.problem("the kept checkpoint is of the log '" + before.origin() + "', the service's of '" + now.origin()
                        + "': another log, not comparable");
                return new Outcome(findings, Optional.empty());
            }
            compare(before, now, findings);
            return new Outcome(findings, findings.ok() ? Optional.of(currentText) : Optional.empty());
        } catch (CannotCheck e) {
            findings.problem(e.getMessage());
            return new Outcome(findings, Optional.empty());
        }
    }

    private void compare(Checkpoint before, Checkpoint now, Findings findings) throws CannotCheck {
        if (now.size() < before.size()) {
            findings.problem("the service's log has " + now.size() + " entries, fewer than the " + before.size()
                    + " of the kept checkpoint: it was rolled back or replaced; keep both checkpoints, together they are signed evidence of it");
            return;
        }
        if (now.size() == before.size()) {
            if (MessageDigest.isEqual(now.root(), before.root())) {
                findings.pass("the service's log is still the tree of " + now.size() + " entries the kept checkpoint covers");
            } else {
                findings.problem("both checkpoints are of " + now.size() + " entries but their roots differ: the log was rewritten;"
                        + " keep both checkpoints, together they are signed evidence of it");
            }
            return;
        }
        if (before.size() == 0) {
            findings.pass("the kept checkpoint is of the empty log, which every log extends");
            return;
        }
        JsonNode proof = fetchJson("api/v1/log/proofs/consistency?from=" + before.size() + "&to=" + now.size());
        try {
            if (proof.path("from").asLong(-1) != before.size() || proof.path("to").asLong(-1) != now.size() || !proof.path("proof").isArray()) {
                throw new ProofException("the service answered with a proof between other sizes, or none");
            }
            List<byte[]> hashes = new ArrayList<>();
            for (JsonNode hash : proof.get("proof")) {
                hashes.add(Base64.getDecoder().decode(hash.asText()));
            }
            // the roots are the two signed checkpoints', not the ones the service sent beside the proof
            ProofVerifier.verifyConsistency(before.size(), now.size(), before.root(), now.root(), hashes);
            findings.pass("consistency proof (RFC 9162 §2.1.4, " + hashes.size() + " hashes): the log of " + before.size()
                    + " entries is a prefix of today's " + now.size() + ": nothing it covered was edited, removed or reordered since");
        } catch (ProofException | IllegalArgumentException e) {
            findings.problem("the service's log of " + now.size() + " entries is not shown to extend the kept checkpoint's " + before.size()
                    + " (" + e.getMessage() + "): it may have been rewritten; keep both checkpoints and ask the organisation");
        }
    }

    private List<NoteKey> trustedKeys(List<String> verifierKeys, Findings findings) throws CannotCheck {
        List<NoteKey> keys = new ArrayList<>();
        if (!verifierKeys.isEmpty()) {
            for (String key : verifierKeys) {
                try {
                    keys.add(NoteKey.parseVerifierKey(key));
                } catch (IllegalArgumentException e) {
                    throw new CannotCheck("--vkey " + key + ": not a verifier key (" + e.getMessage() + ")");
                }
            }
            return keys;
        }
        for (JsonNode key : fetchJson("api/v1/log/keys")) {
            try {
                keys.add(NoteKey.parseVerifierKey(key.path("verifierKey").asText()));
            } catch (IllegalArgumentException e) {
                throw new CannotCheck("GET " + service.resolve("api/v1/log/keys") + ": a key that is not a verifier key (" + e.getMessage() + ")");
            }
        }
        findings.warn("no --vkey given: the checkpoints are checked with the keys the service lists, which proves nothing unless those "
                + "keys are the ones the organisation published elsewhere (compare them, or give them with --vkey)");
        return keys;
    }

    private static Checkpoint verified(String what, String text, List<NoteKey> trusted, Findings findings) {
        try {
            Checkpoint.Signed signed = Checkpoint.verify(text, trusted);
            findings.pass(what + ": tree of " + signed.checkpoint().size() + " entries of " + signed.checkpoint().origin() + ", signed by "
                    + signed.signer().label());
            return signed.checkpoint();
        } catch (SignedNote.NoteException e) {
            findings.problem(what + ": " + e.getMessage());
            return null;
        }
    }

    private JsonNode fetchJson(String path) throws CannotCheck {
        try {
            return mapper.readTree(fetchText(path));
        } catch (IOException e) {
            throw new CannotCheck("GET " + service.resolve(path) + ": the answer is not JSON");
        }
    }

    private String fetchText(String path) throws CannotCheck {
        URI address = service.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(address).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
                if (response.statusCode() != 200) {
                    throw new CannotCheck("GET " + address + ": answered " + response.statusCode());
                }
                if (bytes.length > MAX_ANSWER_BYTES) {
                    throw new CannotCheck("GET " + address + ": the answer is larger than " + MAX_ANSWER_BYTES / 1024 + " KiB, so not what was asked");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new CannotCheck("GET " + address + ": no answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotCheck("GET " + address + ": interrupted");
        }
    }

    /** The check cannot go on: a key given is not one, or the service could not be asked or did not answer as its API does. */
    private static final class CannotCheck extends Exception {
        CannotCheck(String message) {
            super(message, null, false, false);
        }
    }
}
