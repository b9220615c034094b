package org.custody.evidence;

import java.time.Instant;
import java.util.UUID;

/** One step in the chain of custody of an evidence item's original. Append-only. */
public record CustodyEvent(UUID id, UUID evidenceId, int sequence, CustodyAction action, Instant performedAt, String note,
                           UUID recordedBy, Instant recordedAt) {}
