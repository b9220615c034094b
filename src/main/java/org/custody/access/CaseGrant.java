package org.custody.access;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * A user's right to see one case (and its evidence), until it expires or is removed, and why it was given (null for
 * grants made before a reason was asked for).
 */
@JsonPropertyOrder({"caseId", "userId", "grantedBy", "grantedAt", "expiresAt", "reason"})
public record CaseGrant(UUID caseId, UUID userId, UUID grantedBy, Instant grantedAt, Instant expiresAt, String reason) {}
