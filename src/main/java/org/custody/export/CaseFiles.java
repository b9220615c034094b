package org.custody.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.custody.audit.Replay;

/**
 * What a bundle says about one case, for people: {@code cases/<reference>.json} and its rows of the four CSV files.
 * Rendered only from the replayed log, never from the tables, so the verifier can render it again and compare.
 */
record CaseFiles(String reference, ObjectNode json, List<List<String>> cases, List<List<String>> statusHistory,
                 List<List<String>> evidence, List<List<String>> custodyEvents) {

    /**
     * Evidence in the order it was filed, ties by id. Times compare as instants, not as text: {@code Instant.toString()}
     * leaves out a zero fraction, so "…:38Z" would sort after "…:38.015Z".
     */
    static final Comparator<JsonNode> OLDEST_FIRST = Comparator.comparing((JsonNode item) -> Instant.parse(item.get("createdAt").asText()))
            .thenComparing(item -> item.get("id").asText());

    /** The CSV files, each with its columns: JSON paths into the record a row comes from. */
    enum Sheet {
        CASES("cases.csv", List.of("reference", "id", "status", "version", "category", "person.fullName", "person.originalScriptName",
                "person.otherNames", "person.sex", "person.birthDate", "person.nationality", "person.placeOfOrigin", "military.unit",
                "military.rank", "military.serviceNumber", "detention.capturedOn", "detention.placeOfCapture", "detention.circumstances",
                "detention.detainingAuthority", "detention.placesOfDetention", "detention.lastProofOfLife", "detention.lastKnownWhereabouts",
                "proceedings.charges", "proceedings.court", "proceedings.courtCaseNumber", "proceedings.hearingDates", "proceedings.sentence",
                "summary", "createdAt", "updatedAt")),
        STATUS_HISTORY("status-history.csv", List.of("caseReference", "sequence", "fromStatus", "status", "effectiveDate", "reason",
                "evidenceIds", "recordedBy", "recordedAt", "id")),
        EVIDENCE("evidence.csv", List.of("caseReference", "id", "kind", "title", "description", "sourceUrl", "archiveLocator", "sha256",
                "mediaType", "sizeBytes", "capturedAt", "obtainedAt", "obtainedFrom", "verificationStatus", "version", "createdAt", "updatedAt")),
        CUSTODY_EVENTS("custody-events.csv", List.of("caseReference", "evidenceId", "sequence", "action", "performedAt", "note",
                "recordedBy", "recordedAt", "id"));

        final String fileName;
        final List<String> columns;

        Sheet(String fileName, List<String> columns) {
            this.fileName = fileName;
            this.columns = columns;
        }

        String header() {
            return Csv.row(columns);
        }

        List<List<String>> rowsOf(CaseFiles files) {
            return switch (this) {
                case CASES -> files.cases();
                case STATUS_HISTORY -> files.statusHistory();
                case EVIDENCE -> files.evidence();
                case CUSTODY_EVENTS -> files.custodyEvents();
            };
        }

        private List<String> row(String reference, JsonNode record) {
            List<String> row = new ArrayList<>(columns.size());
            for (String column : columns) {
                row.add(column.equals("caseReference") ? reference : cell(record.at("/" + column.replace('.', '/'))));
            }
            return row;
        }
    }

    /**
     * Renders case {@code caseId} as replayed. Evidence lists only the exported cases it is linked to (the others are not
     * the requester's to see); the {@code restricted} flag is left out, being about access, not about the detainee.
     */
    static CaseFiles render(ObjectMapper mapper, ExportReplay replayed, String caseId, Set<String> exportedCaseIds) {
        Replay state = replayed.state();
        ObjectNode record = state.cases().get(caseId).deepCopy();
        record.remove("restricted");
        String reference = record.get("reference").asText();
        TreeSet<Long> indexes = new TreeSet<>(replayed.indexes("case", caseId));

        List<JsonNode> timeline = state.statusChanges().values().stream().filter(change -> change.get("caseId").asText().equals(caseId))
                .sorted(Comparator.comparingInt(change -> change.get("sequence").asInt())).toList();
        List<ObjectNode> evidence = state.evidence().values().stream()
                .filter(item -> contains(item.get("caseIds"), caseId))
                .sorted(OLDEST_FIRST)
                .toList();

        ObjectNode json = mapper.createObjectNode();
        json.set("case", record);
        json.set("statusHistory", mapper.valueToTree(timeline));
        ArrayNode evidenceNodes = json.putArray("evidence");
        List<List<String>> evidenceRows = new ArrayList<>();
        List<List<String>> custodyRows = new ArrayList<>();
        for (ObjectNode stored : evidence) {
            String evidenceId = stored.get("id").asText();
            ObjectNode item = stored.deepCopy();
            ArrayNode visibleCases = mapper.createArrayNode();
            stored.get("caseIds").forEach(id -> {
                if (exportedCaseIds.contains(id.asText())) visibleCases.add(id);
            });
            item.set("caseIds", visibleCases);
            List<JsonNode> events = state.custodyEvents().values().stream().filter(event -> event.get("evidenceId").asText().equals(evidenceId))
                    .sorted(Comparator.comparingInt(event -> event.get("sequence").asInt())).toList();
            item.set("custodyEvents", mapper.valueToTree(events));
            evidenceNodes.add(item);
            evidenceRows.add(Sheet.EVIDENCE.row(reference, item));
            events.forEach(event -> custodyRows.add(Sheet.CUSTODY_EVENTS.row(reference, event)));
            indexes.addAll(replayed.indexes("evidence", evidenceId));
        }
        ArrayNode entries = json.putArray("logEntries");
        indexes.forEach(entries::add);
        return new CaseFiles(reference, json, List.of(Sheet.CASES.row(reference, record)),
                timeline.stream().map(change -> Sheet.STATUS_HISTORY.row(reference, change)).toList(), evidenceRows, custodyRows);
    }

    /**
     * One value as a spreadsheet shows it: text as is, a list joined with "; ", a partial date in ISO 8601 with "~" after an
     * approximate one (as ISO 8601-2 writes it), a missing value empty.
     */
    static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(element -> parts.add(cell(element)));
            return String.join("; ", parts);
        }
        if (value.isObject() && value.has("date")) {
            return value.get("date").asText() + (value.path("approximate").asBoolean() ? "~" : "");
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static boolean contains(JsonNode ids, String id) {
        for (JsonNode element : ids) {
            if (element.asText().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
