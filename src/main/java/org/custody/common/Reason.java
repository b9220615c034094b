package org.custody.common;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A request body that only says why ({@code {"reason": ...}}): an evidence item taken off a case it was linked to by
 * mistake, a grant taken back. The reason goes into the change's log entry, where the case's history or access log
 * shows it; surrounding spaces are dropped, and a blank one says nothing, so it is refused.
 */
public record Reason(@NotBlank @Size(max = 2000) @PlainText.Lines String reason) {
    public Reason {
        reason = reason == null ? null : reason.strip();
    }
}
