package org.custody.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.custody.log.signing.NoteKey;

/** The names of a bundle's files, shared by the writer and the verifier; the layout itself is described in VERIFY.md. */
final class Bundle {
    static final String FORMAT = "custody-export/1";
    static final String EXPORT = "export.json";
    static final String CASES = "cases/";
    static final String ENTRIES = "log/entries.jsonl";
    static final String PROOFS = "log/proofs.jsonl";
    static final String CONSISTENCY = "log/consistency.jsonl";
    static final String CHECKPOINT = "log/checkpoint";
    static final String KEYS = "keys/";
    static final String VERIFY = "VERIFY.md";
    static final String MANIFEST = "MANIFEST.sha256";
    static final String MANIFEST_SIGNATURE = "MANIFEST.sha256.sig";

    private Bundle() {}

    /** VERIFY.md for one bundle: the guide with this export's key, sizes and names filled in. */
    static String verifyGuide(ExportRecord export, NoteKey manifestKey, String requester, java.time.Instant checkpointSignedAt) {
        String guide;
        try (InputStream template = Bundle.class.getResourceAsStream(VERIFY)) {
            guide = new String(template.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("VERIFY.md is missing from the jar", e);
        }
        Map<String, String> values = Map.of(
                "exportId", export.id().toString(),
                "caseCount", Integer.toString(export.cases().size()),
                "requester", requester,
                "createdAt", export.createdAt().toString(),
                "checkpointSize", Long.toString(export.checkpointSize()),
                "checkpointSignedAt", checkpointSignedAt.toString(),
                "manifestKeyId", manifestKey.keyIdHex(),
                "manifestVerifierKey", manifestKey.verifierKey(),
                "fileName", BundleWriter.fileName(export));
        for (Map.Entry<String, String> value : values.entrySet()) {
            guide = guide.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        return guide;
    }
}
