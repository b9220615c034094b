package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.custody.log.CanonicalJson;
import org.custody.log.EntryEncoder;
import org.custody.log.EntryTimes;
import org.custody.log.Jcs;
import org.custody.log.JcsReader;
import org.custody.log.LogDao;
import org.custody.log.tree.TreeHash;

/**
 * verify-log's look at one stored entry on its own, without reference to any other entry (so entries are examined on
 * all cores): its leaf hash, whether its bytes are canonical and name its index, whether its lookup columns agree with
 * it, and whether its payload is stored, matches its commitment and is canonical.
 */
final class EntryExamination {
    private final ObjectMapper mapper;
    private final JcsReader reader;
    private final EntryTimes times = new EntryTimes();

    EntryExamination(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = new JcsReader(mapper);
    }

    /** What one entry says and what is wrong with it. */
    record Examined(long index, byte[] leafHash, String action, String subjectId, String time, String actorId, JsonNode payload,
                    List<String> problems, CanonicalJson canonicalPayload, WholeRecord whole, boolean payloadGone) {
        Examined(long index, byte[] leafHash, String action, String subjectId, String time, String actorId, JsonNode payload,
                 List<String> problems, CanonicalJson canonicalPayload, WholeRecord whole) {
            this(index, leafHash, action, subjectId, time, actorId, payload, problems, canonicalPayload, whole, false);
        }

        Examined(long index, byte[] leafHash, String action, String subjectId, String time, String actorId, JsonNode payload,
                 List<String> problems) {
            this(index, leafHash, action, subjectId, time, actorId, payload, problems, null, WholeRecord.of(action, payload, null));
        }
    }

    Examined examine(LogDao.EntryWithCopies row) {
        LogDao.StoredEntry stored = row.stored();
        long index = stored.idx();
        byte[] leafHash = TreeHash.leaf(stored.entryBytes());
        JsonNode entry;
        try {
            entry = reader.readCanonical(stored.entryBytes());
        } catch (IOException e) {
            return new Examined(index, leafHash, null, null, null, null, null, List.of("index " + index + ": entry bytes are not JSON"));
        }
        if (entry == null || !entry.isObject()) {
            return new Examined(index, leafHash, null, null, null, null, null, List.of("index " + index + ": entry bytes are not in RFC 8785 canonical form"));
        }
        List<String> problems = new ArrayList<>();
        if (entry.path("index").asLong(-1) != index) {
            problems.add("index " + index + ": entry says index " + entry.path("index").asText() + ", expected " + index);
        }
        checkCopies(row, entry, problems);
        String action = entry.path("action").asText();
        String subjectId = entry.path("subject").path("id").textValue();
        String time = entry.path("time").textValue();
        String actorId = entry.path("actor").path("id").textValue();
        if (stored.payload() == null || stored.salt() == null) {
            // erased by law, or missing: ErasedPayloads tells which once it has read the erasures that follow
            return new Examined(index, leafHash, action, subjectId, time, actorId, null, problems, null, null, true);
        }
        byte[] payloadBytes = stored.payload().getBytes(StandardCharsets.UTF_8);
        String commitment = Base64.getEncoder().encodeToString(EntryEncoder.commitment(stored.salt(), payloadBytes));
        if (!commitment.equals(entry.path("payload").asText())) {
            problems.add("index " + index + ": payload does not match its commitment (expected " + entry.path("payload").asText()
                    + ", found " + commitment + ")");
            return new Examined(index, leafHash, action, subjectId, time, actorId, null, problems);
        }
        try {
            CanonicalJson canonical = reader.readCanonicalJson(stored.payload(), payloadBytes);
            if (canonical == null) {
                // JSON in another form is still replayed, so that one finding does not bring more; JSON that no canonical
                // form can hold (a fraction, a lone surrogate) is not
                JsonNode payload = mapper.readTree(stored.payload());
                if (Jcs.canonicalOrNull(payload) == null) {
                    problems.add("index " + index + ": payload is not canonical JSON");
                    return new Examined(index, leafHash, action, subjectId, time, actorId, null, problems);
                }
                problems.add("index " + index + ": payload is not in canonical form");
                return new Examined(index, leafHash, action, subjectId, time, actorId, payload, problems);
            }
            return new Examined(index, leafHash, action, subjectId, time, actorId, canonical.tree(), problems, canonical, WholeRecord.of(action, canonical.tree(), canonical));
        } catch (IOException e) {
            problems.add("index " + index + ": payload is not canonical JSON");
            return new Examined(index, leafHash, action, subjectId, time, actorId, null, problems);
        }
    }

    /**
     * The action, subject and time columns are copies of the entry's own fields, made for lookups (case histories
     * filter by action, exports find evidence by subject): a copy that says something else would change what those
     * lookups return without touching the tree.
     */
    private void checkCopies(LogDao.EntryWithCopies row, JsonNode entry, List<String> problems) {
        String where = "index " + row.stored().idx() + ": ";
        JsonNode subject = entry.path("subject");
        String subjectId = subject.path("id").textValue();
        if (!entry.path("action").asText().equals(row.action())) {
            problems.add(where + "action column says " + row.action() + ", the entry says " + entry.path("action").asText());
        }
        if (!Objects.equals(subject.path("type").textValue(), row.subjectType())) {
            problems.add(where + "subject type column says " + row.subjectType() + ", the entry says " + subject.path("type").textValue());
        }
        if (!Objects.equals(subjectId, row.subjectId() == null ? null : row.subjectId().toString())) {
            problems.add(where + "subject id column says " + row.subjectId() + ", the entry says " + subjectId);
        }
        String time = times.format(row.recordedAt());
        if (!time.equals(entry.path("time").asText())) {
            problems.add(where + "time column says " + time + ", the entry says " + entry.path("time").asText());
        }
    }
}
