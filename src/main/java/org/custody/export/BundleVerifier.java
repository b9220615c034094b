package org.custody.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.audit.Findings;
import org.custody.common.Sha256Digest;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.KeyFiles;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;

/**
 * Checks an export bundle offline, with nothing but the bundle, optionally the organisation's published verifier key
 * and an earlier bundle: the manifest and its signature, the checkpoint's signature, each entry's inclusion proof and
 * payload commitment, the case files against a replay of the payloads, and consistency with the earlier bundle.
 * Problems name the file, the entry index or the case, and what differs, never a value (it may be personal data).
 */
public final class BundleVerifier {
    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-f]{64})  (\\S.*)");

    private final ObjectMapper mapper;

    public BundleVerifier(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Findings verify(Path bundle, Optional<String> verifierKey, Optional<Path> previous) {
        Findings findings = new Findings();
        try {
            new Run(BundleContents.read(bundle), findings).verify(verifierKey, previous);
        } catch (BundleContents.BundleException e) {
            findings.problem(e.getMessage());
        }
        return findings;
    }

    /** One verification of one bundle. */
    private final class Run {
        private final BundleContents bundle;
        private final Findings findings;
        private JsonNode export;
        private List<NoteKey> trusted = List.of();
        private Checkpoint checkpoint;

        Run(BundleContents bundle, Findings findings) {
            this.bundle = bundle;
            this.findings = findings;
        }

        void verify(Optional<String> verifierKey, Optional<Path> previous) throws BundleContents.BundleException {
            export = json(Bundle.EXPORT).orElseThrow(() -> new BundleContents.BundleException(Bundle.EXPORT + ": missing or not JSON"));
            if (!Bundle.FORMAT.equals(export.path("format").asText())) {
                throw new BundleContents.BundleException(Bundle.EXPORT + ": not a bundle of format " + Bundle.FORMAT);
            }
            checkManifest();
            List<NoteKey> bundleKeys = bundleKeys();
            trusted = trustedKeys(verifierKey, bundleKeys);
            checkManifestSignature(bundleKeys, verifierKey.isPresent());
            checkpoint = checkpoint(Bundle.CHECKPOINT, bundle);
            if (checkpoint == null) {
                return;
            }
            long anchored = export.path("checkpointSize").asLong();
            if (checkpoint.size() != anchored) {
                findings.problem(Bundle.CHECKPOINT + ": a tree of " + checkpoint.size() + " entries, but " + Bundle.EXPORT + " anchors the bundle at " + anchored);
            }
            BundleEntries checked = new BundleEntries(mapper, findings, checkpoint, export.path("includePayloads").asBoolean());
            checked.read(bundle.lines(Bundle.ENTRIES), bundle.lines(Bundle.PROOFS));
            if (export.path("includePayloads").asBoolean()) {
                new CaseFileCheck(mapper, findings, bundle, export).check(checked.replayed());
            } else {
                findings.pass("the export carries no records (includePayloads: false): entries and proofs only");
            }
            new BundleConsistency(mapper, findings, checkpoint, earlier -> checkpoint(Bundle.CHECKPOINT, earlier))
                    .check(bundle.lines(Bundle.CONSISTENCY), previous);
        }

        private void checkManifest() {
            Optional<String> manifest = bundle.text(Bundle.MANIFEST);
            if (manifest.isEmpty()) {
                findings.problem(Bundle.MANIFEST + ": missing");
                return;
            }
            Map<String, String> listed = new LinkedHashMap<>();
            int lineNumber = 0;
            for (String line : manifest.get().lines().toList()) {
                lineNumber++;
                Matcher matcher = MANIFEST_LINE.matcher(line);
                if (!matcher.matches()) {
                    findings.problem(Bundle.MANIFEST + " line " + lineNumber + ": not in sha256sum format");
                } else if (listed.put(matcher.group(2), matcher.group(1)) != null) {
                    findings.problem(Bundle.MANIFEST + " line " + lineNumber + ": lists " + matcher.group(2) + " twice");
                }
            }
            int problems = findings.problems().size();
            listed.forEach((name, hash) -> {
                Optional<byte[]> content = bundle.bytes(name);
                if (content.isEmpty()) {
                    findings.problem(Bundle.MANIFEST + ": lists " + name + ", which the bundle does not hold");
                } else if (!HexFormat.of().formatHex(Sha256Digest.newDigest().digest(content.get())).equals(hash)) {
                    findings.problem(name + ": its SHA-256 is not the one in " + Bundle.MANIFEST + " (the file was changed)");
                }
            });
            for (String name : bundle.names()) {
                if (!name.equals(Bundle.MANIFEST) && !name.equals(Bundle.MANIFEST_SIGNATURE) && !listed.containsKey(name)) {
                    findings.problem(name + ": not covered by " + Bundle.MANIFEST);
                }
            }
            if (findings.problems().size() == problems) {
                findings.pass("manifest: the " + listed.size() + " files match " + Bundle.MANIFEST);
            }
        }

        /** The keys in {@code keys/}: each verifier key, with its PEM file holding the same public key. */
        private List<NoteKey> bundleKeys() {
            List<NoteKey> keys = new ArrayList<>();
            for (String name : bundle.names()) {
                if (!name.startsWith(Bundle.KEYS) || !name.endsWith(".vkey")) {
                    continue;
                }
                try {
                    NoteKey key = NoteKey.parseVerifierKey(bundle.text(name).orElseThrow());
                    String pem = name.substring(0, name.length() - ".vkey".length()) + ".pem";
                    if (!bundle.text(pem).map(text -> text.equals(KeyFiles.publicKeyPem(key.publicKey()))).orElse(false)) {
                        findings.problem(pem + ": missing or not the key of " + name);
                    }
                    keys.add(key);
                } catch (IllegalArgumentException e) {
                    findings.problem(name + ": " + e.getMessage());
                }
            }
            return keys;
        }

        private List<NoteKey> trustedKeys(Optional<String> verifierKey, List<NoteKey> bundleKeys) throws BundleContents.BundleException {
            if (verifierKey.isEmpty()) {
                findings.warn("no --vkey given: signatures are checked with the keys shipped in this bundle, which proves nothing unless "
                        + "they are the organisation's published keys");
                return bundleKeys;
            }
            try {
                return List.of(NoteKey.parseVerifierKey(verifierKey.get()));
            } catch (IllegalArgumentException e) {
                throw new BundleContents.BundleException("--vkey: " + e.getMessage());
            }
        }

        private void checkManifestSignature(List<NoteKey> bundleKeys, boolean keyGiven) {
            NoteKey signer;
            try {
                signer = NoteKey.parseVerifierKey(export.path("manifestKey").asText());
            } catch (IllegalArgumentException e) {
                findings.problem(Bundle.EXPORT + ": manifestKey: " + e.getMessage());
                return;
            }
            Optional<byte[]> manifest = bundle.bytes(Bundle.MANIFEST);
            Optional<byte[]> signature = bundle.bytes(Bundle.MANIFEST_SIGNATURE);
            if (manifest.isEmpty() || signature.isEmpty()) {
                findings.problem(Bundle.MANIFEST_SIGNATURE + ": missing");
            } else if (!bundleKeys.contains(signer)) {
                findings.problem(Bundle.EXPORT + ": the manifest key " + signer.keyIdHex() + " is not among the bundle's keys");
            } else if (!signer.verifies(manifest.get(), signature.get())) {
                findings.problem(Bundle.MANIFEST_SIGNATURE + ": does not verify with log key " + signer.label());
            } else if (keyGiven && !trusted.contains(signer)) {
                findings.warn("the manifest is signed by log key " + signer.keyIdHex() + ", not by the key given with --vkey: that "
                        + "signature is vouched for only by this bundle (the checks of the checkpoint and the proofs below do not depend on it)");
            } else {
                findings.pass("manifest signature: Ed25519 by log key " + signer.label());
            }
        }

        /** The signed checkpoint of a bundle, verified with the trusted keys; null (with a problem) when it does not hold. */
        private Checkpoint checkpoint(String name, BundleContents contents) {
            Optional<String> text = contents.text(name);
            if (text.isEmpty()) {
                findings.problem(name + ": missing");
                return null;
            }
            try {
                Checkpoint.Signed signed = Checkpoint.verify(text.get(), trusted);
                findings.pass(name + ": tree of " + signed.checkpoint().size() + " entries, signed by " + signed.signer().label());
                return signed.checkpoint();
            } catch (SignedNote.NoteException e) {
                findings.problem(name + ": " + e.getMessage());
                return null;
            }
        }

        private Optional<JsonNode> json(String name) {
            return bundle.bytes(name).flatMap(content -> {
                try {
                    return Optional.of(mapper.readTree(content));
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
        }
    }
}
