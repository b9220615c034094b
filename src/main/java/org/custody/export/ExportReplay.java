package org.custody.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.custody.audit.Replay;
import org.custody.log.LogAction;

/**
 * Rebuilds exported cases from log entries and their payloads, remembering which entries each case and evidence item
 * came from. The server builds a bundle's case files with it and the verifier rebuilds them with it from the bundle's
 * entries alone, so the two can only agree if the files say exactly what the entries say.
 */
final class ExportReplay {
    private final Replay replay;
    private final Map<String, List<Long>> indexesBySubject = new HashMap<>();

    ExportReplay(ObjectMapper mapper) {
        this.replay = new Replay(mapper);
    }

    /** Applies one entry; returns what is wrong with it, or null. */
    String add(long index, JsonNode entry, JsonNode payload) {
        String action = entry.path("action").asText();
        if (LogAction.fromWireName(action).filter(LogAction.CASE_CONTENT::contains).isEmpty()) {
            return "action " + action + " does not belong in an export";
        }
        if (payload == null) {
            return "has no payload: what it recorded cannot be rebuilt";
        }
        JsonNode subject = entry.path("subject");
        indexesBySubject.computeIfAbsent(subject.path("type").asText() + ":" + subject.path("id").asText(), key -> new ArrayList<>()).add(index);
        if (action.equals(LogAction.EVIDENCE_LINKED.wireName()) || action.equals(LogAction.EVIDENCE_UNLINKED.wireName())) {
            // the case's file lists its links, so that an item since taken off the case still shows as once there
            indexesBySubject.computeIfAbsent("case:" + payload.path("caseId").asText(), key -> new ArrayList<>()).add(index);
        }
        return replay.apply(action, payload);
    }

    Replay state() {
        return replay;
    }

    /** The indexes of the entries about one subject ({@code case} or {@code evidence}), in log order. */
    List<Long> indexes(String subjectType, String id) {
        return indexesBySubject.getOrDefault(subjectType + ":" + id, List.of());
    }
}
