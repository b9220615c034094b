package org.custody.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.custody.log.LogKeys;
import org.custody.log.LogProofs;
import org.custody.log.signing.NoteKey;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes an export's bundle (layout in {@link Bundle} and VERIFY.md) straight to the response: cases are replayed from
 * the log two hundred at a time and entries read a thousand at a time, so memory does not grow with the bundle (beyond
 * the entries' indexes, eight bytes each). Everything comes from the log's first {@code checkpointSize} entries, so a
 * bundle downloaded twice says the same.
 */
public final class BundleWriter {
    static final int CASES_PER_CHUNK = 200;
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final LogProofs proofs;
    private final LogKeys keys;
    private final ExportEntries entries;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    private final com.codahale.metrics.Timer writes;

    /** {@code writes} times each bundle from first byte to last, which the resource's own timer cannot see. */
    public BundleWriter(Jdbi jdbi, ObjectMapper mapper, LogProofs proofs, LogKeys keys, com.codahale.metrics.Timer writes) {
        this.writes = writes;
        this.jdbi = jdbi;
        this.entries = new ExportEntries(jdbi);
        this.mapper = mapper;
        this.proofs = proofs;
        this.keys = keys;
    }

    /** The key that will sign the manifest: the log's current key. */
    String manifestKeyId() {
        return currentKey().keyIdHex();
    }

    static String fileName(ExportRecord export) {
        return "custody-export-" + DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(export.createdAt()) + "-"
                + export.id().toString().substring(0, 8) + ".zip";
    }

    void write(ExportRecord export, String requester, OutputStream out) throws IOException {
        try (com.codahale.metrics.Timer.Context timing = writes.time()) {
            writeBundle(export, requester, out);
        }
    }

    private void writeBundle(ExportRecord export, String requester, OutputStream out) throws IOException {
        NoteKey manifestKey = currentKey();
        ManifestZip zip = new ManifestZip(out, export.createdAt());
        Instant signedAt = jdbi.withExtension(ExportDao.class, exports -> exports.checkpointSignedAt(export.checkpointSize()));
        zip.put(Bundle.EXPORT, json(metadata(export, requester, manifestKey, signedAt)));
        if (export.includePayloads()) {
            writeCaseFiles(export, zip);
        }
        writeEntries(export, zip);
        String checkpoint = proofs.checkpoint(export.checkpointSize());
        zip.put(Bundle.CHECKPOINT, checkpoint.getBytes(StandardCharsets.UTF_8));
        for (LogProofs.KeyView key : proofs.keys()) {
            zip.put(Bundle.KEYS + key.keyId() + ".pem", key.publicKeyPem().getBytes(StandardCharsets.UTF_8));
            zip.put(Bundle.KEYS + key.keyId() + ".vkey", (key.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        zip.put(Bundle.VERIFY, Bundle.verifyGuide(export, manifestKey, requester, signedAt).getBytes(StandardCharsets.UTF_8));
        byte[] manifest = zip.manifest();
        Map<String, byte[]> trailer = new LinkedHashMap<>();
        trailer.put(Bundle.MANIFEST, manifest);
        trailer.put(Bundle.MANIFEST_SIGNATURE, keys.signer(manifestKey).sign(manifest));
        zip.finish(trailer);
    }

    private ObjectNode metadata(ExportRecord export, String requester, NoteKey manifestKey, Instant checkpointSignedAt) {
        ObjectNode metadata = mapper.createObjectNode();
        metadata.put("format", Bundle.FORMAT);
        metadata.put("id", export.id().toString());
        ObjectNode requestedBy = metadata.putObject("requestedBy");
        requestedBy.put("id", export.requestedBy().toString());
        requestedBy.put("username", requester);
        metadata.put("purpose", export.purpose());
        metadata.set("createdAt", mapper.valueToTree(export.createdAt()));
        metadata.put("includePayloads", export.includePayloads());
        metadata.put("checkpointSize", export.checkpointSize());
        // the instant the files show the cases at: the request's own, or an earlier one asked for with asOf
        metadata.set("checkpointSignedAt", mapper.valueToTree(checkpointSignedAt));
        metadata.set("cases", mapper.valueToTree(export.cases()));
        metadata.put("manifestKey", manifestKey.verifierKey());
        return metadata;
    }

    /**
     * The case files and the spreadsheets in one pass over the cases, replayed a chunk at a time: each case's file goes
     * into the ZIP at once, its spreadsheet rows into a sealed spool per sheet, copied into the ZIP after the last case.
     */
    private void writeCaseFiles(ExportRecord export, ManifestZip zip) throws IOException {
        Set<String> exported = export.caseIds().stream().map(UUID::toString).collect(Collectors.toSet());
        Map<CaseFiles.Sheet, SealedSpool> spools = new java.util.EnumMap<>(CaseFiles.Sheet.class);
        try {
            Map<CaseFiles.Sheet, Writer> rows = new java.util.EnumMap<>(CaseFiles.Sheet.class);
            for (CaseFiles.Sheet sheet : CaseFiles.Sheet.values()) {
                SealedSpool spool = new SealedSpool(random);
                spools.put(sheet, spool);
                rows.put(sheet, new OutputStreamWriter(spool.output(), StandardCharsets.UTF_8));
            }
            List<UUID> ids = export.caseIds();
            for (int i = 0; i < ids.size(); i += CASES_PER_CHUNK) {
                for (CaseFiles files : replay(ids.subList(i, Math.min(ids.size(), i + CASES_PER_CHUNK)), export.checkpointSize(), exported)) {
                    zip.put(Bundle.CASES + files.reference() + ".json", mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(files.json()));
                    for (CaseFiles.Sheet sheet : CaseFiles.Sheet.values()) {
                        for (List<String> row : sheet.rowsOf(files)) {
                            rows.get(sheet).write(Csv.row(row));
                        }
                    }
                }
            }
            for (CaseFiles.Sheet sheet : CaseFiles.Sheet.values()) {
                rows.get(sheet).flush();
                try (OutputStream file = zip.open(sheet.fileName)) {
                    file.write(Csv.BOM);
                    file.write(sheet.header().getBytes(StandardCharsets.UTF_8));
                    spools.get(sheet).copyTo(file);
                }
            }
        } finally {
            for (SealedSpool spool : spools.values()) {
                spool.close();
            }
        }
    }

    /** Rebuilds some cases from the log's first {@code size} entries and renders their files. */
    private List<CaseFiles> replay(List<UUID> caseIds, long size, Set<String> exported) {
        ExportReplay replay = new ExportReplay(mapper);
        entries.forEach(entries.indexes(caseIds, size), entry -> {
            try {
                String problem = replay.add(entry.idx(), mapper.readTree(entry.entryBytes()), entry.payload() == null ? null : mapper.readTree(entry.payload()));
                if (problem != null) {
                    throw new IllegalStateException("log entry " + entry.idx() + " cannot be exported: " + problem);
                }
            } catch (IOException e) {
                throw new IllegalStateException("log entry " + entry.idx() + " is not JSON", e);
            }
        });
        return caseIds.stream().map(id -> CaseFiles.render(mapper, replay, id.toString(), exported)).toList();
    }

    /**
     * The entries with their payloads, their inclusion proofs, and the consistency proofs between this bundle's tree
     * and those of the requester's earlier exports: from each smaller tree to this one, and from this one to each
     * larger (an earlier export of a later state, when this one is as of an earlier instant).
     */
    private void writeEntries(ExportRecord export, ManifestZip zip) throws IOException {
        long size = export.checkpointSize();
        long[] indexes = entries.indexes(export.caseIds(), size);
        try (Writer lines = new BufferedWriter(new OutputStreamWriter(zip.open(Bundle.ENTRIES), StandardCharsets.UTF_8))) {
            entries.forEach(indexes, entry -> {
                StringBuilder line = new StringBuilder("{\"index\":").append(entry.idx())
                        .append(",\"entry\":\"").append(B64.encodeToString(entry.entryBytes())).append('"');
                if (export.includePayloads() && entry.payload() != null) {
                    // the stored payload is already RFC 8785 JSON: it goes in as is, byte for byte what the commitment covers
                    line.append(",\"salt\":\"").append(B64.encodeToString(entry.salt())).append("\",\"payload\":").append(entry.payload());
                }
                write(lines, line.append("}\n").toString());
            });
        }
        jdbi.useHandle(handle -> {
            LogProofs.Prover prover = proofs.prover(handle, size);
            try (Writer lines = new BufferedWriter(new OutputStreamWriter(zip.open(Bundle.PROOFS), StandardCharsets.UTF_8))) {
                entries.forEach(indexes, entry -> {
                    ObjectNode line = mapper.createObjectNode();
                    line.put("index", entry.idx());
                    line.put("treeSize", size);
                    line.put("leafHash", B64.encodeToString(TreeHash.leaf(entry.entryBytes())));
                    ArrayNode hashes = line.putArray("proof");
                    prover.inclusion(entry.idx()).forEach(hashes::add);
                    write(lines, line + "\n");
                });
            }
            try (Writer lines = new BufferedWriter(new OutputStreamWriter(zip.open(Bundle.CONSISTENCY), StandardCharsets.UTF_8))) {
                for (ExportDao.Header earlier : handle.attach(ExportDao.class).earlier(export)) {
                    ObjectNode line = mapper.createObjectNode();
                    line.put("exportId", earlier.id().toString());
                    line.put("fromSize", earlier.checkpointSize());
                    line.put("fromRoot", prover.root(earlier.checkpointSize()));
                    line.put("toSize", size);
                    ArrayNode hashes = line.putArray("proof");
                    if (earlier.checkpointSize() < size) {
                        prover.consistencyFrom(earlier.checkpointSize()).forEach(hashes::add);
                    }
                    write(lines, line + "\n");
                }
                // an export as of an earlier instant, after exports of the log as it stood later: its log is a prefix of theirs
                for (ExportDao.Header earlier : handle.attach(ExportDao.class).earlierOfLargerTrees(export)) {
                    LogProofs.Prover larger = proofs.prover(handle, earlier.checkpointSize());
                    ObjectNode line = mapper.createObjectNode();
                    line.put("exportId", earlier.id().toString());
                    line.put("fromSize", size);
                    line.put("fromRoot", prover.root(size));
                    line.put("toSize", earlier.checkpointSize());
                    line.put("toRoot", larger.root(earlier.checkpointSize()));
                    ArrayNode hashes = line.putArray("proof");
                    larger.consistencyFrom(size).forEach(hashes::add);
                    write(lines, line + "\n");
                }
            }
        });
    }

    private NoteKey currentKey() {
        return keys.currentKey().orElseThrow(() -> new IllegalStateException("no log key is registered"));
    }

    private byte[] json(Object value) throws IOException {
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    }

    private static void write(Writer writer, String text) {
        try {
            writer.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
