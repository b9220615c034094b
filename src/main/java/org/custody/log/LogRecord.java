package org.custody.log;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;

/**
 * A log entry as readers see it: the index, the parsed entry, the exact entry bytes (base64) that the
 * Merkle tree hashes, its leaf hash, and the payload with its salt: absent if the payload was erased, or withheld
 * ({@code payloadWithheld}, see {@link PayloadAccess}) from a reader who may not read what it says about a detainee.
 */
public record LogRecord(long index, JsonNode entry, String entryBytes, String leafHash, JsonNode payload, String salt,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean payloadWithheld) {
    public LogRecord(long index, JsonNode entry, String entryBytes, String leafHash, JsonNode payload, String salt) {
        this(index, entry, entryBytes, leafHash, payload, salt, false);
    }

    /** The same entry, its bytes and leaf hash whole (the tree stays checkable), without its payload and salt. */
    public LogRecord withPayloadWithheld() {
        return new LogRecord(index, entry, entryBytes, leafHash, null, null, true);
    }

    /** The action the entry records, if this service knows it. */
    @JsonIgnore
    public Optional<LogAction> action() {
        return LogAction.fromWireName(entry.path("action").asText());
    }

    /** The id of the record the entry is about (a case, an evidence item, a user, an export, a key). */
    @JsonIgnore
    public Optional<UUID> subjectId() {
        try {
            return Optional.of(UUID.fromString(entry.path("subject").path("id").asText()));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
