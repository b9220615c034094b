package org.custody.export;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.custody.common.PlainText;

/**
 * A request to export cases: which ones, why (the proceeding or legal basis, kept in the log), and whether the bundle
 * carries the records themselves ({@code includePayloads}, the default) or only the signed trail of entries and proofs.
 */
public record ExportRequest(
        @NotNull @Size(min = 1, max = ExportRequest.MAX_CASES) List<@NotNull UUID> caseIds,
        @NotBlank @Size(max = 2_000) @PlainText.Lines String purpose,
        Boolean includePayloads) {
    public static final int MAX_CASES = 5_000;

    public boolean payloads() {
        return includePayloads == null || includePayloads;
    }
}
