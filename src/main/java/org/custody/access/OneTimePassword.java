package org.custody.access;

import java.time.Instant;

/**
 * A one-time password given by a reset, shown once: the user must change it at their next sign-in, and after
 * {@code expiresAt} it no longer signs in at all.
 */
public record OneTimePassword(String password, boolean mustChange, Instant expiresAt) {
    @Override
    public String toString() {
        return "OneTimePassword[expiresAt=" + expiresAt + "]";
    }
}
