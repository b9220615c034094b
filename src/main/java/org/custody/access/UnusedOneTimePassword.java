package org.custody.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An active user whose password is still a one-time one (a new account nobody has taken up, or a reset not yet used),
 * and when it stops signing in: null for one given before one-time passwords expired, which never does.
 */
public record UnusedOneTimePassword(UUID userId, String username, String displayName, Instant expiresAt) {}
