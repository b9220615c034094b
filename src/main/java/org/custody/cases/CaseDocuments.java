package org.custody.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.custody.common.TextSearch;
import org.custody.log.Jcs;

/** How case details are stored: canonical JSON, plus the columns derived from it that search and filters use. */
public final class CaseDocuments {
    private final ObjectMapper mapper;

    CaseDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Case details as stored: their canonical JSON and the columns derived from it. */
    record Stored(String details, Derived derived) {}

    /**
     * The columns of a case's row derived from its details: the category that list filters use, and every name the
     * person is known by, folded, that name search looks in. Derived from the details as stored (a JSON tree), so that
     * {@code verify-log}, which checks the details against the log, checks these columns against the details.
     */
    public record Derived(String category, String searchText) {
        public static Derived of(JsonNode details) {
            JsonNode person = details.path("person");
            List<String> names = new ArrayList<>();
            for (String field : List.of("fullName", "originalScriptName")) {
                if (person.path(field).isTextual()) {
                    names.add(TextSearch.fold(person.get(field).asText()));
                }
            }
            person.path("otherNames").forEach(name -> names.add(TextSearch.fold(name.asText())));
            return new Derived(details.path("category").asText(), String.join("\n", names));
        }
    }

    Stored store(CaseDetails details) {
        JsonNode tree = mapper.valueToTree(details);
        return new Stored(Jcs.canonicalString(tree), Derived.of(tree));
    }

    JsonNode tree(String stored) {
        try {
            return mapper.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored case details are not JSON", e);
        }
    }

    CaseDetails read(String stored) {
        try {
            return mapper.readValue(stored, CaseDetails.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored case details do not match the current model", e);
        }
    }

    CaseRecord record(CaseDao.CaseRow row) {
        return new CaseRecord(row.id(), row.reference(), row.version(), row.status(), row.restricted(), row.createdAt(), row.updatedAt(), read(row.details()));
    }
}
