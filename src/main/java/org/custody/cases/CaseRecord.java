package org.custody.cases;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.UUID;

/**
 * A case as stored and shown: its identity, version and status, whether only holders of a grant may see it, and the
 * details case workers edit.
 */
@JsonPropertyOrder({"id", "reference", "version", "status", "restricted", "createdAt", "updatedAt"})
public record CaseRecord(
        UUID id,
        String reference,
        long version,
        CaseStatus status,
        boolean restricted,
        Instant createdAt,
        Instant updatedAt,
        @JsonUnwrapped CaseDetails details) {

    static String reference(int year, long sequence) {
        return String.format("C-%04d-%06d", year, sequence);
    }
}
