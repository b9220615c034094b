package org.custody.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.custody.cases.CaseDetails;
import org.custody.common.MergePatch;
import org.custody.log.CanonicalJson;
import org.custody.evidence.EvidenceDetails;

/**
 * Rebuilds the service's records from the log's payloads alone, replaying each change the way the service
 * applied it (merge patches are normalised through the same models). The result is compared with the tables:
 * a row edited behind the log's back no longer matches its replay.
 */
public final class Replay {
    static final List<String> CASE_META = List.of("id", "reference", "version", "status", "restricted", "createdAt", "updatedAt");
    static final List<String> EVIDENCE_META = List.of("id", "version", "caseIds", "createdAt", "updatedAt");

    private final ObjectMapper mapper;
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
                case "user.updated" -> {
                    if (whole == null || !users.containsKey(whole.id())) {
                        throw new IllegalStateException("user changed before it was created");
                    }
                    putWhole(users, whole);
                }
                case "case.restriction_changed" -> {
                    ObjectNode record = existing(cases, payload.get("caseId").asText(), "case");
                    record.set("restricted", payload.get("restricted"));
                    cases.put(record.get("id").asText(), record);
                }
                case "case.grant_added" -> {
                    JsonNode grant = payload.get("grant");
                    requireExisting(cases, grant.get("caseId").asText(), "case");
                    grants.put(grantKey(grant), grant, WholeRecord.member(canonicalPayload, "grant"));
                }
                case "case.erasure_proposed", "case.erasure_withdrawn" -> requireExisting(cases, payload.get("caseId").asText(), "case");
                case "case.grant_removed" -> {
                    if (grants.remove(grantKey(payload)) == null) {
                        throw new IllegalStateException("grant removed that was never added");
                    }
                }
                case "case.created" -> {
                    if (!erasedReferences.isEmpty() && whole != null && erasedReferences.contains(whole.record().path("reference").asText())) {
                        return "case " + whole.id() + " was given the reference of an erased case";
                    }
                    putWhole(cases, whole);
                }
                case "case.updated" -> {
                    ObjectNode record = existing(cases, payload.get("caseId").asText(), "case");
                    ObjectNode details = record.deepCopy();
                    details.remove(CASE_META);
                    JsonNode patched = normalised(MergePatch.apply(details, payload.get("patch")), CaseDetails.class);
                    replaceDetails(record, CASE_META, patched);
                    record.set("version", payload.get("version"));
                    record.set("updatedAt", payload.get("updatedAt"));
                    cases.put(record.get("id").asText(), record);
                }
                case "case.status_changed" -> {
                    JsonNode change = payload.get("statusChange");
                    ObjectNode record = existing(cases, change.get("caseId").asText(), "case");
                    record.set("status", change.get("status"));
                    record.set("version", payload.get("version"));
                    record.set("updatedAt", change.get("recordedAt"));
                    cases.put(record.get("id").asText(), record);
                    statusChanges.put(change.get("id").asText(), change, WholeRecord.member(canonicalPayload, "statusChange"));
                }
                case "evidence.created" -> putWhole(evidence, whole);
                case "evidence.updated" -> {
                    ObjectNode record = existing(evidence, payload.get("evidenceId").asText(), "evidence");
                    ObjectNode details = record.deepCopy();
                    details.remove(EVIDENCE_META);
                    replaceDetails(record, EVIDENCE_META, normalised(MergePatch.apply(details, payload.get("patch")), EvidenceDetails.class));
                    record.set("version", payload.get("version"));
                    record.set("updatedAt", payload.get("updatedAt"));
                    evidence.put(record.get("id").asText(), record);
                }
                case "evidence.linked", "evidence.unlinked" -> {
                    ObjectNode record = existing(evidence, payload.get("evidenceId").asText(), "evidence");
                    List<UUID> caseIds = caseIds(record);
                    UUID caseId = UUID.fromString(payload.get("caseId").asText());
                    if (action.equals("evidence.linked")) {
                        caseIds.add(caseId);
                    } else if (!caseIds.remove(caseId)) {
                        throw new IllegalStateException("evidence not linked to the case it is taken off");
                    }
                    record.set("caseIds", sortedIds(caseIds));
                    evidence.put(record.get("id").asText(), record);
                }
                case "export.created" -> {
                    JsonNode export = payload.get("export");
                    export.get("cases").forEach(exported -> requireExisting(cases, exported.get("id").asText(), "case"));
                    exports.put(export.get("id").asText(), export, WholeRecord.member(canonicalPayload, "export"));
                }
                case "evidence.custody_event_recorded" -> putWhole(custodyEvents, whole);
                case "log.key_registered", "log.key_rotated" -> {
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
                default -> {
                    // reads and downloads change no record; sign-ins, sessions and credentials are followed by SignInState
                }
            }
            return null;
        } catch (RuntimeException e) {
            return "payload cannot be replayed (" + e.getClass().getSimpleName() + ")";
        }
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
            if (grants.keySet().stream().anyMatch(key -> key.startsWith(caseId + "/"))) {
                problems.add("erases case " + caseId + ", but the payload of a grant of it is still stored");
            }
            cases.remove(caseId);
            payload.get("erasedEvidenceIds").forEach(evidenceId -> evidence.remove(evidenceId.asText()));
            for (JsonNode evidenceId : payload.get("unlinkedEvidenceIds")) {
                ObjectNode record = existing(evidence, evidenceId.asText(), "evidence");
                List<UUID> caseIds = caseIds(record);
                caseIds.remove(UUID.fromString(caseId));
                record.set("caseIds", sortedIds(caseIds));
                evidence.put(record.get("id").asText(), record);
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
        return java.util.Collections.unmodifiableMap(cases);
    }

    public Map<String, JsonNode> statusChanges() {
        return java.util.Collections.unmodifiableMap(statusChanges);
    }

    /** Evidence items by id, each with the ids of every case it is linked to. */
    public Map<String, ObjectNode> evidence() {
        return java.util.Collections.unmodifiableMap(evidence);
    }

    public Map<String, JsonNode> custodyEvents() {
        return java.util.Collections.unmodifiableMap(custodyEvents);
    }

    static String grantKey(JsonNode grant) {
        return grant.get("caseId").asText() + "/" + grant.get("userId").asText();
    }

    /** The cases an evidence record is linked to, as a list to change. */
    private static List<UUID> caseIds(ObjectNode evidenceRecord) {
        List<UUID> caseIds = new ArrayList<>();
        evidenceRecord.get("caseIds").forEach(id -> caseIds.add(UUID.fromString(id.asText())));
        return caseIds;
    }

    ArrayNode sortedIds(List<UUID> ids) {
        ArrayNode array = mapper.createArrayNode();
        ids.stream().distinct().sorted().forEach(id -> array.add(id.toString()));
        return array;
    }

    private JsonNode normalised(JsonNode details, Class<?> model) {
        try {
            return mapper.valueToTree(mapper.treeToValue(details, model));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("patched details do not fit the model", e);
        }
    }

    private static void replaceDetails(ObjectNode record, List<String> meta, JsonNode details) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        names.stream().filter(name -> !meta.contains(name)).forEach(record::remove);
        record.setAll((ObjectNode) details);
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
