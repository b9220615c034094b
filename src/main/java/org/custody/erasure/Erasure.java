package org.custody.erasure;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What erasing a case removed: the payload of a {@code case.erased} entry and the answer to its approval. It names
 * records and entries by id and index only, never by what they said. The entry's actor is the administrator who
 * approved it; the proposal's entry names the one who proposed it, and {@code verify-log} checks they differ.
 *
 * @param reference the erased case's reference, never given to another case
 * @param reason the proposal's
 * @param proposal the index of the {@code case.erasure_proposed} entry approved
 * @param proposedBy the user id of the administrator who proposed it
 * @param proposalExpiresAt the instant after which the proposal could no longer have been approved
 * @param erasedEntries the indexes of the entries whose payloads were deleted: every entry about the case or about an
 *     evidence item erased with it, except the records of who read them
 * @param erasedEvidenceIds the evidence items erased with the case: those that never concerned another case
 * @param unlinkedEvidenceIds the evidence items taken off the case and kept, since they concern another case too
 */
public record Erasure(UUID caseId, String reference, String reason, long proposal, UUID proposedBy, Instant proposalExpiresAt,
                      List<Long> erasedEntries, List<UUID> erasedEvidenceIds, List<UUID> unlinkedEvidenceIds) {
    public Erasure {
        erasedEntries = List.copyOf(erasedEntries);
        erasedEvidenceIds = List.copyOf(erasedEvidenceIds);
        unlinkedEvidenceIds = List.copyOf(unlinkedEvidenceIds);
    }
}
