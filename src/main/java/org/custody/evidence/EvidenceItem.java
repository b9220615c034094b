package org.custody.evidence;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An evidence reference as stored and shown, with the cases it is linked to. */
@JsonPropertyOrder({"id", "version", "caseIds", "createdAt", "updatedAt"})
public record EvidenceItem(UUID id, long version, List<UUID> caseIds, Instant createdAt, Instant updatedAt,
                           @JsonUnwrapped EvidenceDetails details) {
    public EvidenceItem {
        caseIds = caseIds.stream().sorted().toList();
    }
}
