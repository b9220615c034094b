package org.custody.erasure;

import java.time.Instant;
import java.util.UUID;
import org.custody.log.Actor;

/**
 * An erasure proposed and waiting for a second administrator, as the list of them shows it: enough to find the
 * proposal and read it in full (with what approving it would do) before approving or withdrawing it.
 *
 * @param proposal the index of the {@code case.erasure_proposed} entry, which an approval names
 * @param caseReference the case's reference, as a person who works with the files knows it
 */
public record PendingErasure(long proposal, UUID caseId, String caseReference, String reason, Actor proposedBy, Instant proposedAt,
                             Instant expiresAt) {
    static PendingErasure of(ErasureProposal proposal, String caseReference) {
        return new PendingErasure(proposal.proposal(), proposal.caseId(), caseReference, proposal.reason(), proposal.proposedBy(),
                proposal.proposedAt(), proposal.expiresAt());
    }
}
