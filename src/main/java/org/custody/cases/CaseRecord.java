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

    /** {@code C-<year>-<sequence>}, both zero-padded (4 and 6 digits), as {@code String.format("C-%04d-%06d")} would at a fraction of its cost. */
    static String reference(int year, long sequence) {
        StringBuilder reference = new StringBuilder(16).append("C-");
        padded(reference, year, 4).append('-');
        return padded(reference, sequence, 6).toString();
    }

    /** The sequence number a reference ends with; -1 for a reference that is not one. */
    public static long sequenceOf(String reference) {
        int dash = reference.lastIndexOf('-');
        try {
            return Long.parseLong(reference.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static StringBuilder padded(StringBuilder to, long number, int width) {
        String digits = Long.toString(number);
        for (int i = digits.length(); i < width; i++) {
            to.append('0');
        }
        return to.append(digits);
    }
}
