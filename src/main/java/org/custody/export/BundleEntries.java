package org.custody.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.custody.audit.Findings;
import org.custody.log.EntryEncoder;
import org.custody.log.Jcs;
import org.custody.log.signing.Checkpoint;
import org.custody.log.tree.ProofException;
import org.custody.log.tree.ProofVerifier;
import org.custody.log.tree.TreeHash;

/**
 * The verifier's check of {@code log/entries.jsonl} against {@code log/proofs.jsonl} and the checkpoint: entries in
 * strictly increasing index order, each with an inclusion proof that leads to the checkpoint's root and a payload that
 * matches the commitment in its bytes; then the payloads replayed in order.
 */
final class BundleEntries {
    private final ObjectMapper mapper;
    private final Findings findings;
    private final Checkpoint checkpoint;
    private final boolean payloadsExpected;
    private final ExportReplay replay;

    BundleEntries(ObjectMapper mapper, Findings findings, Checkpoint checkpoint, boolean payloadsExpected) {
        this.mapper = mapper;
        this.findings = findings;
        this.checkpoint = checkpoint;
        this.payloadsExpected = payloadsExpected;
        this.replay = new ExportReplay(mapper);
    }

    /** One line of entries.jsonl, parsed. */
    private record Entry(long index, byte[] bytes, JsonNode entry, byte[] salt, JsonNode payload) {}

    void read(List<String> entryLines, List<String> proofLines) {
        Map<Long, JsonNode> proofs = proofs(proofLines);
        List<Entry> entries = entries(entryLines);
        for (Entry entry : entries) {
            String where = "entry " + entry.index() + " (" + entry.entry().path("action").asText() + ")";
            JsonNode proof = proofs.remove(entry.index());
            boolean included = proof != null && included(where, entry, proof);
            if (proof == null) {
                findings.problem(where + ": " + Bundle.PROOFS + " has no inclusion proof for it");
            }
            boolean committed = committed(where, entry);
            if (included && committed) {
                findings.pass(where + ": in the checkpoint's tree" + (entry.payload() == null ? "" : "; payload matches its commitment"));
            }
            if (payloadsExpected) {
                String problem = replay.add(entry.index(), entry.entry(), entry.payload());
                if (problem != null) {
                    findings.problem(where + ": " + problem);
                }
            }
        }
        proofs.keySet().stream().sorted().forEach(index -> findings.problem(Bundle.PROOFS + ": a proof for entry " + index + ", which "
                + Bundle.ENTRIES + " does not hold"));
    }

    ExportReplay replayed() {
        return replay;
    }

    private List<Entry> entries(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        long previous = -1;
        for (int i = 0; i < lines.size(); i++) {
            String where = Bundle.ENTRIES + " line " + (i + 1);
            try {
                JsonNode line = mapper.readTree(lines.get(i));
                long index = line.get("index").asLong();
                byte[] bytes = Base64.getDecoder().decode(line.get("entry").asText());
                JsonNode entry = mapper.readTree(bytes);
                if (index <= previous) {
                    findings.problem(where + ": entry " + index + " comes after entry " + previous + " (entries out of order or repeated)");
                    continue;
                }
                if (entry.path("index").asLong(-1) != index) {
                    findings.problem(where + ": the entry's own bytes give index " + entry.path("index").asText() + ", the line says " + index);
                    continue;
                }
                if (index >= checkpoint.size()) {
                    findings.problem("entry " + index + ": beyond the checkpoint's " + checkpoint.size() + " entries");
                    continue;
                }
                byte[] salt = line.has("salt") ? Base64.getDecoder().decode(line.get("salt").asText()) : null;
                entries.add(new Entry(index, bytes, entry, salt, line.get("payload")));
                previous = index;
            } catch (IOException | RuntimeException e) {
                findings.problem(where + ": not an entry line (" + e.getClass().getSimpleName() + ")");
            }
        }
        return entries;
    }

    private Map<Long, JsonNode> proofs(List<String> lines) {
        Map<Long, JsonNode> proofs = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                JsonNode proof = mapper.readTree(lines.get(i));
                if (proofs.put(proof.get("index").asLong(), proof) != null) {
                    findings.problem(Bundle.PROOFS + " line " + (i + 1) + ": a second proof for entry " + proof.get("index").asLong());
                }
            } catch (IOException | RuntimeException e) {
                findings.problem(Bundle.PROOFS + " line " + (i + 1) + ": not a proof line (" + e.getClass().getSimpleName() + ")");
            }
        }
        return proofs;
    }

    /** RFC 9162 §2.1.3.2 against the checkpoint's root, with the leaf hash computed here from the entry's bytes. */
    private boolean included(String where, Entry entry, JsonNode proof) {
        try {
            if (proof.get("treeSize").asLong() != checkpoint.size()) {
                findings.problem(where + ": its inclusion proof is for a tree of " + proof.get("treeSize").asLong() + " entries, not the checkpoint's "
                        + checkpoint.size());
                return false;
            }
            byte[] leaf = TreeHash.leaf(entry.bytes());
            if (!MessageDigest.isEqual(leaf, Base64.getDecoder().decode(proof.get("leafHash").asText()))) {
                findings.problem(where + ": the leaf hash in " + Bundle.PROOFS + " is not the hash of the entry's bytes");
                return false;
            }
            List<byte[]> hashes = new ArrayList<>();
            proof.get("proof").forEach(hash -> hashes.add(Base64.getDecoder().decode(hash.asText())));
            ProofVerifier.verifyInclusion(entry.index(), checkpoint.size(), leaf, hashes, checkpoint.root());
            return true;
        } catch (ProofException e) {
            findings.problem(where + ": its inclusion proof does not lead to the checkpoint's root (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            findings.problem(where + ": its inclusion proof is malformed (" + e.getClass().getSimpleName() + ")");
        }
        return false;
    }

    /** The entry commits to SHA-256(salt || RFC 8785 payload); the bundle's payload must be the one it committed to. */
    private boolean committed(String where, Entry entry) {
        if (entry.payload() == null || entry.salt() == null) {
            if (payloadsExpected) {
                findings.problem(where + ": its payload is missing");
                return false;
            }
            return true;
        }
        byte[] committed = Base64.getDecoder().decode(entry.entry().path("payload").asText());
        if (!MessageDigest.isEqual(committed, EntryEncoder.commitment(entry.salt(), Jcs.canonicalString(entry.payload())))) {
            findings.problem(where + ": its payload does not match the commitment in the entry (the payload was changed)");
            return false;
        }
        return true;
    }
}
