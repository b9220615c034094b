package org.custody.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Collectors;
import org.custody.common.TextSearch;
import org.custody.log.Jcs;

/** How case details are stored: canonical JSON, plus the folded text that name search looks in. */
final class CaseDocuments {
    private final ObjectMapper mapper;

    CaseDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(CaseDetails details) {
        return Jcs.canonicalString(mapper.valueToTree(details));
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

    static String searchText(CaseDetails details) {
        return details.names().map(TextSearch::fold).collect(Collectors.joining("\n"));
    }
}
