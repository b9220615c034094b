package org.custody.access;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/** A user's right to see one case (and its evidence), until it expires or is removed. */
@JsonPropertyOrder({"caseId", "userId", "grantedBy", "grantedAt", "expiresAt"})
public record CaseGrant(UUID caseId, UUID userId, UUID grantedBy, Instant grantedAt, Instant expiresAt) {}
