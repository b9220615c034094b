package org.custody.erasure;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.custody.log.Actor;

/**
 * An erasure proposed and not yet approved, withdrawn or expired. Erasing a case destroys what was recorded about a
 * detainee for good, so one administrator proposes it and another approves it, naming this proposal by its log index:
 * an approval never applies to a proposal its approver has not seen. What approving it would do to the case's
 * evidence is shown beside it, as the case stands when it is read.
 *
 * @param proposal the index of the {@code case.erasure_proposed} entry that records it
 * @param expiresAt after this instant it can no longer be approved; it has to be proposed again
 * @param erasesEvidenceIds the evidence items approving it would erase now: those that never concerned another case
 * @param unlinksEvidenceIds the evidence items approving it would take off the case now and keep, as another case's too
 */
public record ErasureProposal(long proposal, UUID caseId, String reason, Actor proposedBy, Instant proposedAt, Instant expiresAt,
                              List<UUID> erasesEvidenceIds, List<UUID> unlinksEvidenceIds) {
    public ErasureProposal {
        erasesEvidenceIds = List.copyOf(erasesEvidenceIds);
        unlinksEvidenceIds = List.copyOf(unlinksEvidenceIds);
    }

    /** A proposal as its entry records it, without the preview. */
    ErasureProposal(long proposal, UUID caseId, String reason, Actor proposedBy, Instant proposedAt, Instant expiresAt) {
        this(proposal, caseId, reason, proposedBy, proposedAt, expiresAt, List.of(), List.of());
    }

    /** With what approving it would do to the case's evidence now. */
    ErasureProposal previewing(Erasures.EvidenceOfCase evidence) {
        return new ErasureProposal(proposal, caseId, reason, proposedBy, proposedAt, expiresAt, evidence.erased(), evidence.kept());
    }
}
