package org.custody.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.custody.audit.Findings;
import org.custody.log.signing.Checkpoint;
import org.custody.log.tree.ProofException;
import org.custody.log.tree.ProofVerifier;

/**
 * The verifier's check that a bundle's log and the logs of other exports are one log, only ever appended to: the
 * consistency proofs the bundle carries (RFC 9162 §2.1.4), and, given an earlier bundle, the proof between the two
 * bundles' signed roots.
 */
final class BundleConsistency {
    private final ObjectMapper mapper;
    private final Findings findings;
    private final Checkpoint checkpoint;
    private final Function<BundleContents, Checkpoint> trustedCheckpoint;

    /**
     * @param checkpoint this bundle's checkpoint, its signature already checked
     * @param trustedCheckpoint another bundle's checkpoint, checked with the same keys as this one's; null (with a
     *     problem) when it does not hold
     */
    BundleConsistency(ObjectMapper mapper, Findings findings, Checkpoint checkpoint, Function<BundleContents, Checkpoint> trustedCheckpoint) {
        this.mapper = mapper;
        this.findings = findings;
        this.checkpoint = checkpoint;
        this.trustedCheckpoint = trustedCheckpoint;
    }

    /**
     * Checks each line of {@code log/consistency.jsonl} against this bundle's checkpoint, then, when an earlier bundle is
     * given, that one of the two bundles' trees is a prefix of the other.
     */
    void check(List<String> lines, Optional<Path> previous) throws BundleContents.BundleException {
        List<JsonNode> proofs = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            String where = Bundle.CONSISTENCY + " line " + lineNumber;
            try {
                JsonNode proof = mapper.readTree(line);
                long from = proof.get("fromSize").asLong();
                long to = proof.get("toSize").asLong();
                if (to == checkpoint.size()) {
                    verifyConsistency(from, Base64.getDecoder().decode(proof.get("fromRoot").asText()), to, checkpoint.root(), proof);
                    findings.pass(where + ": the log of size " + from + " (export " + proof.path("exportId").asText() + ") is a prefix of this one");
                } else if (from == checkpoint.size() && to > from) {
                    // this bundle is as of an earlier instant than an export made before it; --previous checks that root
                    verifyConsistency(from, checkpoint.root(), to, Base64.getDecoder().decode(proof.get("toRoot").asText()), proof);
                    findings.pass(where + ": this log is a prefix of the one of size " + to + " (export " + proof.path("exportId").asText()
                            + "), if that bundle's checkpoint has the root given here (check it with --previous)");
                } else {
                    findings.problem(where + ": goes from size " + from + " to " + to + ", neither to nor from the checkpoint's " + checkpoint.size());
                    continue;
                }
                proofs.add(proof);
            } catch (IOException | RuntimeException e) {
                findings.problem(where + ": not a consistency proof (" + e.getClass().getSimpleName() + ")");
            } catch (ProofException e) {
                findings.problem(where + ": " + e.getMessage());
            }
        }
        if (previous.isPresent()) {
            checkPrevious(BundleContents.read(previous.get()), proofs);
        }
    }

    private void checkPrevious(BundleContents earlier, List<JsonNode> proofs) {
        String where = "--previous " + Bundle.CHECKPOINT;
        Checkpoint before = trustedCheckpoint.apply(earlier);
        if (before == null) {
            findings.problem(where + ": cannot be trusted, so consistency with it was not checked");
            return;
        }
        if (before.size() == checkpoint.size()) {
            if (MessageDigest.isEqual(before.root(), checkpoint.root())) {
                findings.pass("--previous: both bundles are anchored to the same tree of " + before.size() + " entries");
            } else {
                findings.problem("--previous: both checkpoints are of " + before.size() + " entries but their roots differ: the log was rewritten");
            }
            return;
        }
        if (before.size() > checkpoint.size()) {
            // this bundle is as of an earlier instant than the earlier one: it carries the proof from its tree to that one's
            checkPrefix(checkpoint, before, proofs, "--previous: the earlier bundle is anchored to a larger tree (" + before.size()
                            + " entries) than this one (" + checkpoint.size() + ") and this bundle carries no consistency proof to it; give the bundles the other way round",
                    "--previous: this bundle's log (" + checkpoint.size() + " entries, an earlier state) is a prefix of the earlier bundle's ("
                            + before.size() + "): nothing was rewritten between the two",
                    "--previous: this bundle's log of " + checkpoint.size() + " entries is not a prefix of the earlier bundle's " + before.size()
                            + ": the log was rewritten between the two exports");
            return;
        }
        checkPrefix(before, checkpoint, proofs, "--previous: this bundle carries no consistency proof from the earlier bundle's " + before.size()
                        + " entries (was it exported for the same requester?)",
                "--previous: the log of the earlier bundle (" + before.size() + " entries) is a prefix of this bundle's (" + checkpoint.size()
                        + "): nothing was rewritten between the two exports",
                "--previous: the earlier bundle's log of " + before.size() + " entries is not a prefix of this bundle's: "
                        + "the log was rewritten between the two exports");
    }

    /**
     * That the smaller of the two bundles' trees is a prefix of the larger, by the proof between their sizes that this
     * bundle carries, checked against both bundles' signed roots, never against a root written beside the proof.
     */
    private void checkPrefix(Checkpoint smaller, Checkpoint larger, List<JsonNode> proofs, String missing, String held, String rewritten) {
        Optional<JsonNode> proof = proofs.stream()
                .filter(line -> line.get("fromSize").asLong() == smaller.size() && line.get("toSize").asLong() == larger.size()).findFirst();
        if (proof.isEmpty()) {
            findings.problem(missing);
            return;
        }
        try {
            verifyConsistency(smaller.size(), smaller.root(), larger.size(), larger.root(), proof.get());
            findings.pass(held);
        } catch (ProofException e) {
            findings.problem(rewritten + " (" + e.getMessage() + ")");
        }
    }

    private void verifyConsistency(long from, byte[] fromRoot, long to, byte[] toRoot, JsonNode line) throws ProofException {
        List<byte[]> hashes = new ArrayList<>();
        line.get("proof").forEach(hash -> hashes.add(Base64.getDecoder().decode(hash.asText())));
        if (from == to) {
            if (!hashes.isEmpty() || !MessageDigest.isEqual(fromRoot, toRoot)) {
                throw new ProofException("a tree of the same size must have the same root and an empty proof");
            }
            return;
        }
        ProofVerifier.verifyConsistency(from, to, fromRoot, toRoot, hashes);
    }
}
