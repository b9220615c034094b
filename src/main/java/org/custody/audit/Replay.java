package org.custody.audit;

import static org.custody.audit.RecordShapes.CASE_META;
import static org.custody.audit.RecordShapes.EVIDENCE_META;
import static org.custody.audit.RecordShapes.grantKey;
import static org.custody.audit.RecordShapes.isGrantOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.custody.cases.CaseDetails;
import org.custody.evidence.EvidenceDetails;
import org.custody.log.CanonicalJson;

/**
 * Rebuilds the service's records from the log's payloads alone, replaying each change the way the service
 * applied it (merge patches are normalised through the same models). The result is compared with the tables:
 * a row edited behind the log's back no longer matches its replay.
 */
public final class Replay {
    private final ObjectMapper mapper;
    private final RecordShapes shapes;
    final ReplayedRecords<JsonNode> users;
    final ReplayedRecords<ObjectNode> cases;
    final ReplayedRecords<JsonNode> statusChanges;
    final ReplayedRecords<ObjectNode> evidence;
    final ReplayedRecords<JsonNode> custodyEvents;
    final ReplayedRecords<ObjectNode> keys;
    final ReplayedRecords<JsonNode> grants;
    final ReplayedRecords<JsonNode> exports;
    /** Each entry an erasure erased, by index: {@code {idx, caseId}}, as {@code log_erasure} holds it. */
    final ReplayedRecords<JsonNode> erasures;
    /** Each erased case, by id: {@code {caseId, reference}}, as {@code log_erased_case} holds it. */
    final ReplayedRecords<JsonNode> erasedCases;
    /** Cases whose creation's payload is gone (erased later in the log, or missing): later entries may still name them. */
    private final Set<String> casesWithoutRecord = new HashSet<>();
    /** The references of erased cases: never given again. */
    private final Set<String> erasedReferences = new HashSet<>();

    /** A replay for an export: few records, read many times, kept as nodes. */
    public Replay(ObjectMapper mapper) {
        this(mapper, false);
    }

    /** @param compact keep records as canonical bytes (verify-log's replay of the whole log) */
    Replay(ObjectMapper mapper, boolean compact) {
        this.mapper = mapper;
        this.shapes = new RecordShapes(mapper);
        users = new ReplayedRecords<>(mapper, JsonNode.class, compact);
        cases = new ReplayedRecords<>(mapper, ObjectNode.class, compact);
        statusChanges = new ReplayedRecords<>(mapper, JsonNode.class, compact);
        evidence = new ReplayedRecords<>(mapper, ObjectNode.class, compact);
        custodyEvents = new ReplayedRecords<>(mapper, JsonNode.class, compact);
        keys = new ReplayedRecords<>(mapper, ObjectNode.class, compact);
        grants = new ReplayedRecords<>(mapper, JsonNode.class, compact);
        exports = new ReplayedRecords<>(mapper, JsonNode.class, compact);
        erasures = new ReplayedRecords<>(mapper, JsonNode.class, compact);
        erasedCases = new ReplayedRecords<>(mapper, JsonNode.class, compact);
    }

    /**
     * An entry whose payload is gone: nothing to replay. When it created a case, entries that only name the case (an
     * export of it, a read) still replay; whether the payload was erased by law is {@link ErasedPayloads}' to judge.
     */
    void payloadGone(String action, String subjectId) {
        if ("case.created".equals(action) && subjectId != null) {
            casesWithoutRecord.add(subjectId);
        }
    }

    /** Applies one entry's payload; returns a problem description, or null when it applied. */
    public String apply(String action, JsonNode payload) {
        return apply(action, payload, null);
    }

    /**
     * {@link #apply(String, JsonNode)}, with the payload's canonical bytes when they are known (null otherwise): a
     * record the payload holds whole is then stored as its bytes within them, not written out again.
     */
    String apply(String action, JsonNode payload, CanonicalJson canonicalPayload) {
        return apply(action, payload, canonicalPayload, WholeRecord.of(action, payload, canonicalPayload));
    }

    /** {@link #apply(String, JsonNode, CanonicalJson)}, given what {@link WholeRecord#of} takes from the payload. */
    String apply(String action, JsonNode payload, CanonicalJson canonicalPayload, WholeRecord whole) {
        if (action.equals("case.erased")) {
            return erase(payload);
        }
        try {
            switch (action) {
                case "user.created" -> putWhole(users, whole);
                case "user.updated" -> userUpdated(whole);
                case "case.created" -> {
                    return caseCreated(whole);
                }
                case "case.updated" -> patched(cases, payload.get("caseId").asText(), "case", CASE_META, CaseDetails.class, payload);
                case "case.status_changed" -> statusChanged(payload, canonicalPayload);
                case "case.restriction_changed" -> restrictionChanged(payload);
                case "case.grant_added" -> grantAdded(payload.get("grant"), canonicalPayload);
                case "case.grant_removed" -> grantRemoved(payload);
                case "case.erasure_proposed", "case.erasure_withdrawn" -> requireExisting(cases, payload.get("caseId").asText(), "case");
                case "evidence.created" -> putWhole(evidence, whole);
                case "evidence.updated" -> patched(evidence, payload.get("evidenceId").asText(), "evidence", EVIDENCE_META, EvidenceDetails.class, payload);
                case "evidence.linked" -> relinked(payload.get("evidenceId").asText(), caseIds -> caseIds.add(caseId(payload)));
                case "evidence.unlinked" -> relinked(payload.get("evidenceId").asText(), caseIds -> {
                    if (!caseIds.remove(caseId(payload))) {
                        throw new IllegalStateException("evidence not linked to the case it is taken off");
                    }
                });
                case "evidence.custody_event_recorded" -> putWhole(custodyEvents, whole);
                case "export.created" -> exportCreated(payload.get("export"), canonicalPayload);
                case "log.key_registered", "log.key_rotated" -> keyRegistered(payload);
                default -> {
                    // reads and downloads change no record; sign-ins, sessions and credentials are followed by SignInState
                }
            }
            return null;
        } catch (RuntimeException e) {
            return "payload cannot be replayed (" + e.getClass().getSimpleName() + ")";
        }
    }

    private void userUpdated(WholeRecord whole) {
        if (whole == null || !users.containsKey(whole.id())) {
            throw new IllegalStateException("user changed before it was created");
        }
        putWhole(users, whole);
    }

    /** A new case, or the problem of its reference being an erased case's. */
    private String caseCreated(WholeRecord whole) {
        if (!erasedReferences.isEmpty() && whole != null && erasedReferences.contains(whole.record().path("reference").asText())) {
            return "case " + whole.id() + " was given the reference of an erased case";
        }
        putWhole(cases, whole);
        return null;
    }

    /** A case's or evidence item's details changed by a merge patch; its version and time of change with them. */
    private void patched(ReplayedRecords<ObjectNode> records, String id, String what, List<String> meta, Class<?> model, JsonNode payload) {
        ObjectNode record = existing(records, id, what);
        shapes.patchDetails(record, meta, payload.get("patch"), model);
        record.set("version", payload.get("version"));
        record.set("updatedAt", payload.get("updatedAt"));
        records.put(id, record);
    }

    private void statusChanged(JsonNode payload, CanonicalJson canonicalPayload) {
        JsonNode change = payload.get("statusChange");
        ObjectNode record = existing(cases, change.get("caseId").asText(), "case");
        record.set("status", change.get("status"));
        record.set("version", payload.get("version"));
        record.set("updatedAt", change.get("recordedAt"));
        cases.put(record.get("id").asText(), record);
        statusChanges.put(change.get("id").asText(), change, WholeRecord.member(canonicalPayload, "statusChange"));
    }

    private void restrictionChanged(JsonNode payload) {
        ObjectNode record = existing(cases, payload.get("caseId").asText(), "case");
        record.set("restricted", payload.get("restricted"));
        cases.put(record.get("id").asText(), record);
    }

    private void grantAdded(JsonNode grant, CanonicalJson canonicalPayload) {
        requireExisting(cases, grant.get("caseId").asText(), "case");
        grants.put(grantKey(grant), grant, WholeRecord.member(canonicalPayload, "grant"));
    }

    private void grantRemoved(JsonNode payload) {
        if (grants.remove(grantKey(payload)) == null) {
            throw new IllegalStateException("grant removed that was never added");
        }
    }

    /** An evidence item's links to cases changed: {@code change} edits the list of case ids, kept sorted. */
    private void relinked(String evidenceId, Consumer<List<UUID>> change) {
        ObjectNode record = existing(evidence, evidenceId, "evidence");
        List<UUID> caseIds = new ArrayList<>();
        record.get("caseIds").forEach(id -> caseIds.add(UUID.fromString(id.asText())));
        change.accept(caseIds);
        record.set("caseIds", shapes.sortedIds(caseIds));
        evidence.put(evidenceId, record);
    }

    private void exportCreated(JsonNode export, CanonicalJson canonicalPayload) {
        export.get("cases").forEach(exported -> requireExisting(cases, exported.get("id").asText(), "case"));
        exports.put(export.get("id").asText(), export, WholeRecord.member(canonicalPayload, "export"));
    }

    /** A signing key made current; a rotation also ends the previous key's validity. */
    private void keyRegistered(JsonNode payload) {
        if (payload.has("previousKeyId")) {
            ObjectNode previous = existing(keys, payload.get("previousKeyId").asText(), "log key");
            previous.set("validUntil", payload.get("validFrom"));
            keys.put(payload.get("previousKeyId").asText(), previous);
        }
        ObjectNode key = mapper.createObjectNode();
        key.set("keyId", payload.get("keyId"));
        key.set("name", payload.get("name"));
        key.set("publicKey", payload.get("publicKey"));
        key.set("validFrom", payload.get("validFrom"));
        key.putNull("validUntil");
        keys.put(payload.get("keyId").asText(), key);
    }

    /**
     * A case erased by law: its record and the records erased with it must already be gone from the replay (their
     * payloads erased), and the evidence kept is taken off the case, as the service did. Returns a problem, or null.
     */
    private String erase(JsonNode payload) {
        try {
            String caseId = payload.get("caseId").asText();
            List<String> problems = new ArrayList<>();
            if (cases.containsKey(caseId)) {
                problems.add("erases case " + caseId + ", but a payload that describes it is still stored");
            }
            for (JsonNode evidenceId : payload.get("erasedEvidenceIds")) {
                if (evidence.containsKey(evidenceId.asText())) {
                    problems.add("erases evidence " + evidenceId.asText() + ", but a payload that describes it is still stored");
                }
            }
            if (grants.keySet().stream().anyMatch(key -> isGrantOf(key, caseId))) {
                problems.add("erases case " + caseId + ", but the payload of a grant of it is still stored");
            }
            cases.remove(caseId);
            payload.get("erasedEvidenceIds").forEach(evidenceId -> evidence.remove(evidenceId.asText()));
            for (JsonNode evidenceId : payload.get("unlinkedEvidenceIds")) {
                relinked(evidenceId.asText(), caseIds -> caseIds.remove(UUID.fromString(caseId)));
            }
            for (JsonNode index : payload.get("erasedEntries")) {
                ObjectNode erased = mapper.createObjectNode();
                erased.put("idx", index.asLong());
                erased.put("caseId", caseId);
                erasures.put(index.asText(), erased);
            }
            ObjectNode erasedCase = mapper.createObjectNode();
            erasedCase.put("caseId", caseId);
            erasedCase.set("reference", payload.get("reference"));
            erasedReferences.add(payload.get("reference").asText());
            erasedCases.put(caseId, erasedCase);
            return problems.isEmpty() ? null : String.join("; ", problems);
        } catch (RuntimeException e) {
            return "payload cannot be replayed (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Stores a record the payload holds whole, under its id. */
    private static <T extends JsonNode> void putWhole(ReplayedRecords<T> records, WholeRecord whole) {
        if (whole == null) {
            throw new IllegalArgumentException("the payload holds no record with an id");
        }
        records.put(whole.id(), records.cast(whole.record()), whole.canonical());
    }

    /** Cases by id, as the log has them so far. */
    public Map<String, ObjectNode> cases() {
        return Collections.unmodifiableMap(cases);
    }

    public Map<String, JsonNode> statusChanges() {
        return Collections.unmodifiableMap(statusChanges);
    }

    /** Evidence items by id, each with the ids of every case it is linked to. */
    public Map<String, ObjectNode> evidence() {
        return Collections.unmodifiableMap(evidence);
    }

    public Map<String, JsonNode> custodyEvents() {
        return Collections.unmodifiableMap(custodyEvents);
    }

    private static UUID caseId(JsonNode payload) {
        return UUID.fromString(payload.get("caseId").asText());
    }

    private void requireExisting(Map<String, ObjectNode> records, String id, String what) {
        if (!records.containsKey(id) && !(records == cases && casesWithoutRecord.contains(id))) {
            throw new IllegalStateException(what + " " + id + " changed before it was created");
        }
    }

    private static ObjectNode existing(Map<String, ObjectNode> records, String id, String what) {
        ObjectNode record = records.get(id);
        if (record == null) {
            throw new IllegalStateException(what + " " + id + " changed before it was created");
        }
        return record;
    }
}
