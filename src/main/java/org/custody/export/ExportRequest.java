package org.custody.export;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.custody.common.PlainText;

/**
 * A request to export cases: which ones, why (the proceeding or legal basis, kept in the log), whether the bundle
 * carries the records themselves ({@code includePayloads}, the default) or only the signed trail of entries and proofs,
 * and, with {@code asOf}, the cases as the log stood at an earlier instant (what was known when a submission was
 * made) instead of as it stands now.
 */
public record ExportRequest(
        @NotNull @Size(min = 1, max = ExportRequest.MAX_CASES) List<@NotNull UUID> caseIds,
        @NotBlank @Size(max = 2_000) @PlainText.Lines String purpose,
        Boolean includePayloads,
        Instant asOf) {
    public static final int MAX_CASES = 5_000;

    public boolean payloads() {
        return includePayloads == null || includePayloads;
    }
}
