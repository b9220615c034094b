package org.custody.erasure;

import java.util.List;
import java.util.UUID;

/**
 * What erasing a case removed: the payload of a {@code case.erased} entry and the answer to the request. It names
 * records and entries by id and index only, never by what they said.
 *
 * @param reference the erased case's reference, never given to another case
 * @param erasedEntries the indexes of the entries whose payloads were deleted: every entry about the case or about an
 *     evidence item erased with it, except the records of who read them
 * @param erasedEvidenceIds the evidence items erased with the case: those that never concerned another case
 * @param unlinkedEvidenceIds the evidence items taken off the case and kept, since they concern another case too
 */
public record Erasure(UUID caseId, String reference, String reason, List<Long> erasedEntries, List<UUID> erasedEvidenceIds,
                     List<UUID> unlinkedEvidenceIds) {
    public Erasure {
        erasedEntries = List.copyOf(erasedEntries);
        erasedEvidenceIds = List.copyOf(erasedEvidenceIds);
        unlinkedEvidenceIds = List.copyOf(unlinkedEvidenceIds);
    }
}
