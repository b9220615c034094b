package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A log entry as readers see it: the index, the parsed entry, the exact entry bytes (base64) that the
 * Merkle tree hashes, its leaf hash, and the payload with its salt (absent if the payload was erased, and in a user's
 * activity for entries that state what is known about a detainee).
 */
public record LogRecord(long index, JsonNode entry, String entryBytes, String leafHash, JsonNode payload, String salt) {}
