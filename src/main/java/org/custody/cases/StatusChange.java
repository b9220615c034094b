package org.custody.cases;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.custody.common.PartialDate;

/** One step of a case's status timeline. */
public record StatusChange(
        UUID id,
        UUID caseId,
        int sequence,
        CaseStatus fromStatus,
        CaseStatus status,
        PartialDate effectiveDate,
        String reason,
        List<UUID> evidenceIds,
        UUID recordedBy,
        Instant recordedAt) {
    public StatusChange {
        evidenceIds = List.copyOf(evidenceIds);
    }
}
