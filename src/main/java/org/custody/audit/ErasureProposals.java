package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Holds every erasure to the two-person rule, from the entries alone (the proposal's and the withdrawal's payloads are
 * erased with the case, so their action, subject, actor and time are what is left to judge by): a {@code case.erased}
 * entry must approve the case's pending proposal, the one it names, made by the administrator it names, who is not
 * the one who approved it, and before the proposal expired. Followed in index order; at the end, the proposals still
 * pending are what the cases' {@code erasure_proposal} column must say.
 */
final class ErasureProposals {
    private record Proposal(long index, String proposedBy) {}

    /** The proposal pending for each case, by case id: the last one, unless withdrawn or approved since. */
    private final Map<String, Proposal> pending = new HashMap<>();

    /** Follows one entry; returns the problems found. */
    List<String> follow(long index, String action, String caseId, String actorId, String time, JsonNode payload) {
        switch (action) {
            case "case.erasure_proposed" -> pending.put(caseId, new Proposal(index, actorId));
            case "case.erasure_withdrawn" -> {
                Proposal withdrawn = pending.remove(caseId);
                long named = payload == null ? -1 : payload.path("proposal").asLong(-1);
                if (withdrawn == null || (payload != null && withdrawn.index() != named)) {
                    return List.of("index " + index + ": withdraws " + (payload == null ? "a proposal" : "proposal " + named) + " of case " + caseId
                            + ", but the pending proposal of the case is " + (withdrawn == null ? "none" : "entry " + withdrawn.index()));
                }
            }
            case "case.erased" -> {
                return erasure(index, caseId, actorId, time, payload);
            }
            default -> {
                // no other entry concerns a proposal
            }
        }
        return List.of();
    }

    /** The proposals pending at the end of the log, in the shape of the column's rows: by case id, the proposal's index. */
    ReplayedRecords<JsonNode> pendingRecords(ObjectMapper mapper) {
        ReplayedRecords<JsonNode> records = new ReplayedRecords<>(mapper, JsonNode.class, false);
        pending.forEach((caseId, proposal) -> records.put(caseId, pendingRecord(mapper, caseId, proposal.index())));
        return records;
    }

    /** A case's pending proposal as a record, from the log or from the column. */
    static ObjectNode pendingRecord(ObjectMapper mapper, String caseId, long proposal) {
        return mapper.createObjectNode().put("caseId", caseId).put("proposal", proposal);
    }

    private List<String> erasure(long index, String caseId, String approvedBy, String time, JsonNode payload) {
        Proposal proposal = pending.remove(caseId);
        String where = "index " + index + ": ";
        if (payload == null) {
            return List.of(); // a missing payload is reported as such
        }
        if (!payload.path("proposal").canConvertToLong()) {
            return List.of(where + "erases case " + caseId + " without naming the proposal it approves");
        }
        List<String> problems = new ArrayList<>();
        long named = payload.path("proposal").asLong();
        if (proposal == null || proposal.index() != named) {
            problems.add(where + "erases case " + caseId + " approving proposal " + payload.path("proposal").asText()
                    + ", but the pending proposal of the case is " + (proposal == null ? "none" : "entry " + proposal.index()));
            return problems;
        }
        if (!Objects.equals(proposal.proposedBy(), payload.path("proposedBy").textValue())) {
            problems.add(where + "says proposal " + named + " was made by " + payload.path("proposedBy").asText() + ", but entry " + named
                    + " was made by " + proposal.proposedBy());
        }
        if (approvedBy == null || approvedBy.equals(proposal.proposedBy())) {
            problems.add(where + "erasure approved by the administrator who proposed it (" + approvedBy + ")");
        }
        if (!beforeExpiry(time, payload.path("proposalExpiresAt").asText())) {
            problems.add(where + "erasure approved at " + time + ", not before its proposal expired (" + payload.path("proposalExpiresAt").asText() + ")");
        }
        return problems;
    }

    private static boolean beforeExpiry(String time, String expiresAt) {
        if (time == null) {
            return false; // an entry without a time is reported as such
        }
        try {
            return Instant.parse(time).isBefore(Instant.parse(expiresAt));
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
