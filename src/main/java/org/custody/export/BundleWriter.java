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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.custody.log.LogAction;
import org.custody.log.LogDao;
import org.custody.log.LogKeys;
import org.custody.log.LogProofs;
import org.custody.log.signing.NoteKey;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes an export's bundle (layout in {@link Bundle}) straight to the response: the cases are replayed from the log a
 * hundred at a time and the entries read a page at a time, so memory does not grow with the bundle. Everything comes
 * from the log's first {@code checkpointSize} entries, so a bundle downloaded twice says the same.
 */
public final class BundleWriter {
    static final int CASES_PER_CHUNK = 100;
    static final int ENTRIES_PER_PAGE = 2_000;
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final List<String> CONTENT = LogAction.CASE_CONTENT.stream().map(LogAction::wireName).sorted().toList();

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final LogProofs proofs;
    private final LogKeys keys;

    public BundleWriter(Jdbi jdbi, ObjectMapper mapper, LogProofs proofs, LogKeys keys) {
        this.jdbi = jdbi;
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
        NoteKey manifestKey = currentKey();
        ManifestZip zip = new ManifestZip(out, export.createdAt());
        zip.put(Bundle.EXPORT, json(metadata(export, requester, manifestKey)));
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
        zip.put(Bundle.VERIFY, Bundle.verifyGuide(export, manifestKey, requester).getBytes(StandardCharsets.UTF_8));
        byte[] manifest = zip.manifest();
        Map<String, byte[]> trailer = new LinkedHashMap<>();
        trailer.put(Bundle.MANIFEST, manifest);
        trailer.put(Bundle.MANIFEST_SIGNATURE, keys.signer(manifestKey).sign(manifest));
        zip.finish(trailer);
    }

    private ObjectNode metadata(ExportRecord export, String requester, NoteKey manifestKey) {
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
        metadata.set("cases", mapper.valueToTree(export.cases()));
        metadata.put("manifestKey", manifestKey.verifierKey());
        return metadata;
    }

    /** The case files, then each spreadsheet: each is one pass over the cases, replayed a chunk at a time. */
    private void writeCaseFiles(ExportRecord export, ManifestZip zip) throws IOException {
        Set<String> exported = export.caseIds().stream().map(UUID::toString).collect(Collectors.toSet());
        CaseChunks chunks = new CaseChunks(export, exported);
        chunks.forEach(files -> {
            try {
                zip.put(Bundle.CASES + files.reference() + ".json", mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(files.json()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (CaseFiles.Sheet sheet : CaseFiles.Sheet.values()) {
            try (OutputStream file = zip.open(sheet.fileName)) {
                file.write(Csv.BOM);
                Writer text = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8));
                text.write(sheet.header());
                chunks.forEach(files -> sheet.rowsOf(files).forEach(row -> {
                    try {
                        text.write(Csv.row(row));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
                text.flush();
            }
        }
    }

    /** The entries with their payloads, their inclusion proofs, and the consistency proofs from the requester's earlier exports. */
    private void writeEntries(ExportRecord export, ManifestZip zip) throws IOException {
        long size = export.checkpointSize();
        try (Writer lines = new BufferedWriter(new OutputStreamWriter(zip.open(Bundle.ENTRIES), StandardCharsets.UTF_8))) {
            forEachEntry(export, entry -> {
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
                forEachEntry(export, entry -> {
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
            }
        });
    }

    private void forEachEntry(ExportRecord export, Consumer<LogDao.StoredEntry> action) {
        long after = -1;
        while (true) {
            long from = after;
            List<LogDao.StoredEntry> page = jdbi.withExtension(ExportDao.class,
                    exports -> exports.entries(export.caseIds(), export.checkpointSize(), CONTENT, from, ENTRIES_PER_PAGE));
            page.forEach(action);
            if (page.size() < ENTRIES_PER_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).idx();
        }
    }

    /** The export's cases replayed a chunk at a time; an export of one chunk is replayed once for all its files. */
    private final class CaseChunks {
        private final List<List<UUID>> chunks = new ArrayList<>();
        private final Set<String> exported;
        private final long size;
        private List<CaseFiles> onlyChunk;

        CaseChunks(ExportRecord export, Set<String> exported) {
            List<UUID> ids = export.caseIds();
            for (int i = 0; i < ids.size(); i += CASES_PER_CHUNK) {
                chunks.add(ids.subList(i, Math.min(ids.size(), i + CASES_PER_CHUNK)));
            }
            this.exported = exported;
            this.size = export.checkpointSize();
        }

        void forEach(Consumer<CaseFiles> action) {
            if (chunks.size() == 1) {
                if (onlyChunk == null) {
                    onlyChunk = replay(chunks.get(0));
                }
                onlyChunk.forEach(action);
                return;
            }
            chunks.forEach(chunk -> replay(chunk).forEach(action));
        }

        private List<CaseFiles> replay(List<UUID> caseIds) {
            List<LogDao.StoredEntry> entries = jdbi.withExtension(ExportDao.class,
                    exports -> exports.entries(caseIds, size, CONTENT, -1, Integer.MAX_VALUE));
            ExportReplay replay = new ExportReplay(mapper);
            for (LogDao.StoredEntry entry : entries) {
                try {
                    String problem = replay.add(entry.idx(), mapper.readTree(entry.entryBytes()), entry.payload() == null ? null : mapper.readTree(entry.payload()));
                    if (problem != null) {
                        throw new IllegalStateException("log entry " + entry.idx() + " cannot be exported: " + problem);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("log entry " + entry.idx() + " is not JSON", e);
                }
            }
            return caseIds.stream().map(id -> CaseFiles.render(mapper, replay, id.toString(), exported)).toList();
        }
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
