package org.custody.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.custody.common.PlainText;

/**
 * A request to let a user see a case, optionally until an instant (ISO 8601, e.g. 2026-12-23T00:00:00Z), kept to the
 * millisecond as every stored time is: a client may send nine digits, which the log would keep and the database round
 * to six, and verify-log would find the two apart. The reason (a mandate, a proceeding) is required: the case's access
 * log shows it as what let the user see the case.
 */
public record NewGrant(@NotNull UUID userId, Instant expiresAt, @NotBlank @Size(max = 2000) @PlainText.Lines String reason) {
    public NewGrant {
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
        reason = reason == null ? null : reason.strip();
    }
}
