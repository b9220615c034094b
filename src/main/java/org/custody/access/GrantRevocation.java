package org.custody.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Why a grant is taken back (the mandate ended, the proceeding closed): optional, since a revocation narrows access
 * whatever the reason, but shown in the case's access log beside the grant's own reason when given.
 */
public record GrantRevocation(@NotBlank @Size(max = 2000) String reason) {
    public GrantRevocation {
        reason = reason == null ? null : reason.strip();
    }
}
