package org.custody.access;

import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;

/** A request to let a user see a case, optionally until an instant (ISO 8601, e.g. 2026-12-23T00:00:00Z). */
public record NewGrant(@NotNull UUID userId, Instant expiresAt) {}
