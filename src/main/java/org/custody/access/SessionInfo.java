package org.custody.access;

import java.time.Instant;
import java.util.UUID;

/** A session as administrators and its owner see it: never the token, which only its holder knows. */
public record SessionInfo(UUID id, Instant createdAt, Instant lastSeenAt, Instant expiresAt, SessionScope scope) {}
