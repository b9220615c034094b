package org.custody.evidence;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Why an evidence item is taken off a case (it shows someone else, it was filed under the wrong person): required,
 * since the case's history keeps the link and shows this as what undid it.
 */
public record EvidenceUnlink(@NotBlank @Size(max = 2000) String reason) {
    public EvidenceUnlink {
        reason = reason == null ? null : reason.strip();
    }
}
