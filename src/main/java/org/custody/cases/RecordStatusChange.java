package org.custody.cases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.evidence.EvidenceDetails;
import org.custody.evidence.VerificationStatus;
import org.custody.access.Viewer;
import org.custody.log.Change;
import org.custody.log.ChangeContext;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;

/** Moves a case to a new status if the transition table allows it, citing evidence linked to the case. */
record RecordStatusChange(UUID id, UUID caseId, NewStatusChange request, Viewer viewer) implements Change<StatusChange> {
    private static final String WITHDRAWN = EvidenceDetails.storedMemberPattern("verificationStatus", VerificationStatus.WITHDRAWN.name());

    @Override
    public Applied<StatusChange> apply(ChangeContext context) {
        CaseDao.StatusState current = CaseDao.findStatusVisible(context.handle(), caseId, viewer).orElseThrow(() -> new NotFoundException("Case"));
        if (!StatusTransitions.isAllowed(current.status(), request.status())) {
            List<CaseStatus> allowed = new ArrayList<>(StatusTransitions.allowedFrom(current.status()));
            allowed.sort(null);
            throw new ForbiddenTransitionException(current.status(), request.status(), allowed);
        }
        requireLinkedEvidence(context);

        // The case's row is updated at once (a later change of the batch reads its status and version); the status
        // change's row waits for the batch's other inserts, so a later change of the same case numbers on from this one.
        int sequence = (int) context.nextNumber("status changes of " + caseId, current::lastSequence);
        StatusChange change = new StatusChange(id, caseId, sequence, current.status(),
                request.status(), request.effectiveDate(), request.reason(), request.evidenceIds(), context.actor().id(), context.now());
        long version = current.version() + 1;
        CaseDao.insertStatusChange(context, change);
        CaseDao.updateStatus(context.handle(), caseId, version, change.status().name(), context.now());

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("statusChange", change);
        payload.put("version", version);
        return new Applied<>(change, LogEvent.aboutCase(LogAction.CASE_STATUS_CHANGED, caseId, payload));
    }

    private void requireLinkedEvidence(ChangeContext context) {
        if (request.evidenceIds().isEmpty()) {
            return;
        }
        Map<UUID, Boolean> withdrawn = new HashMap<>();
        context.attach(CaseDao.class).linkedEvidence(caseId, request.evidenceIds(), WITHDRAWN)
                .forEach(item -> withdrawn.put(item.id(), item.withdrawn()));
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < request.evidenceIds().size(); i++) {
            Boolean itemWithdrawn = withdrawn.get(request.evidenceIds().get(i));
            if (itemWithdrawn == null) {
                errors.add(new InvalidInputException.FieldError("evidenceIds[" + i + "]", "is not evidence linked to this case"));
            } else if (itemWithdrawn) {
                // a withdrawn item (staged, misattributed) is no ground for a change of status; the reason may tell of it
                errors.add(new InvalidInputException.FieldError("evidenceIds[" + i + "]", "is withdrawn evidence, which cannot ground a status change"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
