package org.custody.evidence;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A chain-of-custody event to record; {@code performedAt} is kept to the millisecond, as every stored time is. */
public record NewCustodyEvent(@NotNull CustodyAction action, @NotNull Instant performedAt, @Size(max = 5_000) String note) {
    public NewCustodyEvent {
        performedAt = performedAt == null ? null : performedAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
