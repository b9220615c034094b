package org.custody.access;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.log.Actor;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.jdbi.v3.core.Jdbi;

/**
 * Who may see which case: grants (optionally until an instant) and the restricted flag. Administrators decide;
 * every decision is a log entry in the case's access log.
 */
public final class Grants {
    private final Jdbi jdbi;
    private final Ledger ledger;
    private final Clock clock;

    public Grants(Jdbi jdbi, Ledger ledger, Clock clock) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.clock = clock;
    }

    public List<CaseGrant> list(UUID caseId) {
        return jdbi.withExtension(GrantDao.class, grants -> {
            grants.restricted(caseId).orElseThrow(() -> new NotFoundException("Case"));
            return grants.grants(caseId);
        });
    }

    /**
     * The grants a user holds, expired ones included (their {@code expiresAt} says so) until taken back or replaced:
     * what an administrator reviews when a mandate ends.
     */
    public List<CaseGrant> heldBy(UUID userId) {
        return jdbi.withExtension(GrantDao.class, grants -> grants.grantsOf(userId));
    }

    /** Grants a user sight of a case, replacing an earlier grant of theirs for it (to extend or shorten it). */
    public Recorded<CaseGrant> grant(Actor actor, UUID caseId, NewGrant request) {
        if (request.reason() == null || request.reason().isBlank()) {
            throw new InvalidInputException("reason", "must not be blank");
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(clock.instant())) {
            throw new InvalidInputException("expiresAt", "must be in the future");
        }
        return ledger.submit(actor, context -> {
            GrantDao grants = context.attach(GrantDao.class);
            grants.restricted(caseId).orElseThrow(() -> new NotFoundException("Case"));
            User user = context.attach(UserDao.class).find(request.userId())
                    .orElseThrow(() -> new InvalidInputException("userId", "is not an existing user"));
            if (!user.hasRole(Role.LAWYER) && !user.hasRole(Role.CASE_WORKER)) {
                throw new InvalidInputException("userId", "has neither the LAWYER nor the CASE_WORKER role, so a grant would show them nothing");
            }
            grants.delete(caseId, user.id());
            CaseGrant grant = new CaseGrant(caseId, user.id(), context.actor().id(), context.now(), request.expiresAt(), request.reason());
            grants.insert(grant);
            return new Change.Applied<>(grant, new LogEvent(LogAction.CASE_GRANT_ADDED, Subject.caseRecord(caseId), Map.of("grant", grant), Set.of(caseId)));
        });
    }

    /** Takes a grant back, with the reason when one is given (null: the entry's payload is as it always was). */
    public Recorded<Void> revoke(Actor actor, UUID caseId, UUID userId, String reason) {
        return ledger.submit(actor, context -> {
            if (context.attach(GrantDao.class).delete(caseId, userId) != 1) {
                throw new NotFoundException("Grant");
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("caseId", caseId);
            payload.put("userId", userId);
            if (reason != null) {
                payload.put("reason", reason);
            }
            return new Change.Applied<>(null, new LogEvent(LogAction.CASE_GRANT_REMOVED, Subject.caseRecord(caseId), payload, Set.of(caseId)));
        });
    }

    /** Marks a case restricted (or not): restricted cases are hidden from case workers without a grant. */
    public Recorded<Restriction> restrict(Actor actor, UUID caseId, Restriction request) {
        return ledger.submit(actor, context -> {
            GrantDao grants = context.attach(GrantDao.class);
            grants.restricted(caseId).orElseThrow(() -> new NotFoundException("Case"));
            grants.setRestricted(caseId, request.restricted());
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("caseId", caseId);
            payload.put("restricted", request.restricted());
            payload.put("reason", request.reason());
            return new Change.Applied<>(request, new LogEvent(LogAction.CASE_RESTRICTION_CHANGED, Subject.caseRecord(caseId), payload, Set.of(caseId)));
        });
    }
}
