package org.custody.erasure;

import java.time.Instant;
import java.util.UUID;
import org.custody.log.Actor;

/**
 * An erasure proposed and not yet approved, withdrawn or expired. Erasing a case destroys what was recorded about a
 * detainee for good, so one administrator proposes it and another approves it, naming this proposal by its log index:
 * an approval never applies to a proposal its approver has not seen.
 *
 * @param proposal the index of the {@code case.erasure_proposed} entry that records it
 * @param expiresAt after this instant it can no longer be approved; it has to be proposed again
 */
public record ErasureProposal(long proposal, UUID caseId, String reason, Actor proposedBy, Instant proposedAt, Instant expiresAt) {
    /** A proposal before its entry is written, which gives it its index. */
    static ErasureProposal unnumbered(UUID caseId, String reason, Actor proposedBy, Instant proposedAt, Instant expiresAt) {
        return new ErasureProposal(-1, caseId, reason, proposedBy, proposedAt, expiresAt);
    }

    ErasureProposal numbered(long index) {
        return new ErasureProposal(index, caseId, reason, proposedBy, proposedAt, expiresAt);
    }
}
