package org.custody.export;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An export as requested: by whom, why, which cases, and the size of the signed checkpoint its bundle is anchored to
 * (the bundle shows the log's first {@code checkpointSize} entries, whenever it is downloaded).
 */
public record ExportRecord(UUID id, UUID requestedBy, String purpose, List<ExportedCase> cases, boolean includePayloads,
                           long checkpointSize, Instant createdAt) {
    public ExportRecord {
        cases = List.copyOf(cases);
    }

    /** A case in an export, with the reference its files are named by. */
    public record ExportedCase(UUID id, String reference) {}

    public List<UUID> caseIds() {
        return cases.stream().map(ExportedCase::id).toList();
    }
}
