package org.custody.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.custody.common.MergePatch;

/** How the replay and the reading of the tables shape a record, so that the two can be compared byte for byte. */
final class RecordShapes {
    /** A case's fields that the service sets itself; the rest are its details, which a merge patch changes. */
    static final List<String> CASE_META = List.of("id", "reference", "version", "status", "restricted", "createdAt", "updatedAt");
    /** An evidence item's fields that the service sets itself. */
    static final List<String> EVIDENCE_META = List.of("id", "version", "caseIds", "createdAt", "updatedAt");

    private final ObjectMapper mapper;

    RecordShapes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A grant by its case and its user: a user holds at most one grant of a case. */
    static String grantKey(JsonNode grant) {
        return grant.get("caseId").asText() + "/" + grant.get("userId").asText();
    }

    /** Whether a {@link #grantKey} is that of a grant of the case. */
    static boolean isGrantOf(String grantKey, String caseId) {
        return grantKey.startsWith(caseId + "/");
    }

    /** Ids once each, in order. */
    ArrayNode sortedIds(List<UUID> ids) {
        ArrayNode array = mapper.createArrayNode();
        ids.stream().distinct().sorted().forEach(id -> array.add(id.toString()));
        return array;
    }

    /**
     * Replaces a record's details with the result of a JSON merge patch (RFC 7396) on them, normalised through the
     * model the service reads details into, so that the record holds what the service stored.
     *
     * @param meta the record's fields that are not details, left as they are
     */
    void patchDetails(ObjectNode record, List<String> meta, JsonNode patch, Class<?> model) {
        ObjectNode details = record.deepCopy();
        details.remove(meta);
        JsonNode patched = normalised(MergePatch.apply(details, patch), model);
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        names.stream().filter(name -> !meta.contains(name)).forEach(record::remove);
        record.setAll((ObjectNode) patched);
    }

    private JsonNode normalised(JsonNode details, Class<?> model) {
        try {
            return mapper.valueToTree(mapper.treeToValue(details, model));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("patched details do not fit the model", e);
        }
    }
}
