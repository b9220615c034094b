package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.custody.log.CanonicalJson;

/**
 * A record that an entry's payload holds whole (a created user, case, evidence item or custody event, an updated user),
 * with its id and, when known, its canonical bytes within the payload's.
 */
record WholeRecord(String id, JsonNode record, byte[] canonical) {
    /** The actions whose payload holds a record whole, and the member that holds it. */
    private static final Map<String, String> MEMBERS = Map.of("user.created", "user", "user.updated", "user", "case.created", "case",
            "evidence.created", "evidence", "evidence.custody_event_recorded", "custodyEvent");

    /**
     * The record an entry's payload holds whole, or null when its action's payload holds none or the payload lacks it
     * or its id (the replay then reports the payload). Kept apart from the replay, so that verify-log takes it out while
     * it examines each entry, on all cores and with the payload's tree just read, instead of in the replay's one thread.
     */
    static WholeRecord of(String action, JsonNode payload, CanonicalJson canonicalPayload) {
        String name = action == null ? null : MEMBERS.get(action);
        JsonNode record = name == null || payload == null ? null : payload.get(name);
        JsonNode id = record == null ? null : record.get("id");
        return id == null ? null : new WholeRecord(id.asText(), record, member(canonicalPayload, name));
    }

    /** The canonical bytes of the payload's member {@code name}, or null when the payload's bytes are not known. */
    static byte[] member(CanonicalJson canonicalPayload, String name) {
        return canonicalPayload == null ? null : canonicalPayload.member(name);
    }
}
