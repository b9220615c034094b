package org.custody.access;

import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A request to let a user see a case, optionally until an instant (ISO 8601, e.g. 2026-12-23T00:00:00Z), kept to the
 * millisecond as every stored time is: a client may send nine digits, which the log would keep and the database round
 * to six, and verify-log would find the two apart.
 */
public record NewGrant(@NotNull UUID userId, Instant expiresAt) {
    public NewGrant {
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
