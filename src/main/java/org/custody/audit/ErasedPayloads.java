package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which payloads are gone and whether an erasure accounts for each. Followed in index order: a payload missing from
 * an entry is held until a later {@code case.erased} entry lists it; one that no erasure lists by the end of the log is
 * missing. An erasure that lists a payload still stored, an entry not before it, or an entry about anything but the
 * case and the evidence it erases, is reported.
 */
final class ErasedPayloads {
    /** Entries without a payload that no erasure has listed yet, with their subject's id. */
    private final Map<Long, String> gone = new TreeMap<>();
    private long erased;

    void payloadGone(long index, String subjectId) {
        gone.put(index, subjectId);
    }

    /** Checks the list of an erasure at {@code erasureIndex} (its payload); returns the problems found. */
    List<String> erasure(long erasureIndex, JsonNode payload) {
        List<String> problems = new ArrayList<>();
        Set<String> subjects = new HashSet<>();
        subjects.add(payload.path("caseId").asText());
        payload.path("erasedEvidenceIds").forEach(id -> subjects.add(id.asText()));
        for (JsonNode listed : payload.path("erasedEntries")) {
            long index = listed.asLong();
            if (index >= erasureIndex) {
                problems.add("index " + erasureIndex + ": erasure lists entry " + index + ", which is not before it");
            } else if (!gone.containsKey(index)) {
                problems.add("index " + index + ": erased by entry " + erasureIndex + ", but its payload is still stored");
            } else {
                String subject = gone.remove(index);
                erased++;
                if (!subjects.contains(subject)) {
                    problems.add("index " + index + ": erased by entry " + erasureIndex + ", but it is about " + subject
                            + ", neither the case nor the evidence that entry erases");
                }
            }
        }
        return problems;
    }

    /** The payloads no erasure accounts for. */
    List<String> unaccounted() {
        return gone.keySet().stream().map(index -> "index " + index + ": payload is missing").toList();
    }

    /** How many payloads erasures accounted for. */
    long erased() {
        return erased;
    }
}
