package org.custody.evidence;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.custody.common.PlainText;

/** A chain-of-custody event to record; {@code performedAt} is kept to the millisecond, as every stored time is. */
public record NewCustodyEvent(@NotNull CustodyAction action, @NotNull Instant performedAt, @Size(max = 5_000) @PlainText.Lines String note) {
    public NewCustodyEvent {
        performedAt = performedAt == null ? null : performedAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
