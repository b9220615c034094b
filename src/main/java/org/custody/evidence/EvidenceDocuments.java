package org.custody.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import org.custody.log.Jcs;

/** How evidence details are stored: canonical JSON, like case details. */
final class EvidenceDocuments {
    private final ObjectMapper mapper;

    EvidenceDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(EvidenceDetails details) {
        return Jcs.canonicalString(mapper.valueToTree(details));
    }

    JsonNode tree(String stored) {
        try {
            return mapper.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored evidence details are not JSON", e);
        }
    }

    EvidenceItem item(EvidenceDao.EvidenceRow row, List<UUID> caseIds) {
        try {
            return new EvidenceItem(row.id(), row.version(), caseIds, row.createdAt(), row.updatedAt(),
                    mapper.readValue(row.details(), EvidenceDetails.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored evidence details do not match the current model", e);
        }
    }
}
