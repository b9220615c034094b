package org.custody.cases;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.custody.common.PartialDate;
import org.custody.common.PlainText;

/** A request to record a status change, with the evidence (linked to the case) that supports it. */
public record NewStatusChange(
        @NotNull CaseStatus status,
        @NotNull PartialDate effectiveDate,
        @Size(max = 5_000) @PlainText.Lines String reason,
        @Size(max = 100) List<@NotNull UUID> evidenceIds) {
    public NewStatusChange {
        // Stream.toList keeps a null element, for validation to name it (evidenceIds[0]); List.copyOf would throw
        evidenceIds = evidenceIds == null ? List.of() : evidenceIds.stream().distinct().toList();
    }
}
