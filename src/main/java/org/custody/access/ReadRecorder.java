package org.custody.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.custody.common.ServiceUnavailableException;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records who read which case or evidence item, as {@code case.viewed} and {@code evidence.viewed} log entries
 * (who, what, when; never the content). The record is a change like any other: it joins the ledger's bounded queue
 * and is committed with whatever else is in the next batch (one commit and one signature serve many reads), and the
 * read is answered only once its record is committed. So no answered read is ever missing from the log, not even
 * after a crash, and a graceful shutdown writes every queued record before the ledger stops. When the record cannot
 * be written (queue full, database down), the read is refused with 503 unless fail-closed is switched off, in which
 * case it is served and the loss is counted and logged.
 *
 * <p>Before anything is recorded, the records shown are taken from the user's {@link ReadLimit}: past it the read is
 * refused with 429 and nothing is recorded but, at most once a minute for each user, an {@code auth.reads_limited}
 * entry, so that an administrator reviewing the account's activity sees it was stopped.
 */
public final class ReadRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRecorder.class);

    /** The view of a record shown by an edit that changed nothing (the answer to an edit shows the record). */
    public static final String UNCHANGED_EDIT = "unchanged-edit";

    private final Ledger ledger;
    private final ReadLimit limit;
    private final boolean enabled;
    private final boolean failClosed;
    private final AtomicLong lost = new AtomicLong();

    public ReadRecorder(Ledger ledger, ReadLimit limit, boolean enabled, boolean failClosed) {
        this.ledger = ledger;
        this.limit = limit;
        this.enabled = enabled;
        this.failClosed = failClosed;
    }

    /** A case (its record, status timeline, history or evidence list: {@code view} says which) was shown to the caller. */
    public void caseViewed(Caller caller, UUID caseId, String view) {
        casesViewed(caller, List.of(caseId), view);
    }

    /** Several cases were shown at once (a page of search results): one entry each, committed together. */
    public void casesViewed(Caller caller, List<UUID> caseIds, String view) {
        record(caller, caseIds.stream().map(caseId -> caseViewEvent(caseId, view)).toList());
    }

    /** An evidence item was shown; the entry goes into the access log of every case of it the caller may see. */
    public void evidenceViewed(Caller caller, UUID evidenceId, Collection<UUID> caseIds, String view) {
        record(caller, List.of(evidenceViewEvent(evidenceId, caseIds, view)));
    }

    /** Several evidence items were shown at once (a list): one entry each, committed together. */
    public void evidenceViewed(Caller caller, List<EvidenceShown> items, String view) {
        record(caller, items.stream().map(item -> evidenceViewEvent(item.evidenceId(), item.caseIds(), view)).toList());
    }

    /** A case's evidence list was shown: the case's entry and one for each item, committed together (or all refused). */
    public void caseEvidenceViewed(Caller caller, UUID caseId, List<EvidenceShown> items) {
        List<LogEvent> events = new ArrayList<>();
        events.add(caseViewEvent(caseId, "evidence"));
        items.forEach(item -> events.add(evidenceViewEvent(item.evidenceId(), item.caseIds(), "case-evidence")));
        record(caller, events);
    }

    /** An evidence item as shown, with the cases the reader may see. */
    public record EvidenceShown(UUID evidenceId, Collection<UUID> caseIds) {}

    /**
     * The entry recording that a case was shown ({@code view} says how). Also written by a change that shows a record
     * without changing it (an edit that changes nothing), within its own change.
     */
    public static LogEvent caseViewEvent(UUID caseId, String view) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("caseId", caseId);
        payload.put("view", view);
        return new LogEvent(LogAction.CASE_VIEWED, Subject.caseRecord(caseId), payload, Set.of(caseId));
    }

    /** The entry recording that an evidence item was shown with {@code caseIds} (those the reader may see). */
    public static LogEvent evidenceViewEvent(UUID evidenceId, Collection<UUID> caseIds, String view) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("evidenceId", evidenceId);
        payload.put("view", view);
        // the cases the reader was shown it with: the entry is linked to these, and verify-log checks the links against them
        payload.put("caseIds", caseIds.stream().distinct().sorted().toList());
        return new LogEvent(LogAction.EVIDENCE_VIEWED, Subject.evidence(evidenceId), payload, Set.copyOf(caseIds));
    }

    /** How many reads were served without their record (only when fail-closed is off). */
    public long lost() {
        return lost.get();
    }

    /** How many reads were refused for their user's {@link ReadLimit}. */
    public long limited() {
        return limit.refusals();
    }

    private void record(Caller caller, List<LogEvent> events) {
        limit.take(caller.id(), events.size(), caller.at()).ifPresent(refusal -> refuse(caller, refusal));
        if (!enabled || events.isEmpty()) {
            return;
        }
        try {
            ledger.submitAll(caller.actor(), events.stream().map(event -> (Change<Void>) context -> new Change.Applied<>(null, event)).toList());
        } catch (ServiceUnavailableException e) {
            if (failClosed) {
                throw new ServiceUnavailableException("The read cannot be recorded now, so it is refused; try again shortly", e);
            }
            lost.incrementAndGet();
            LOG.warn("A read was served without its record (fail-closed reads are switched off)");
        }
    }

    private void refuse(Caller caller, ReadLimit.Refusal refusal) {
        if (refusal.noteDue()) {
            Map<String, Object> payload = Map.of("readsPerSecond", limit.perSecond(), "burst", limit.burst());
            ledger.submit(caller.actor(), context -> new Change.Applied<>(null, LogEvent.of(LogAction.READS_LIMITED, Subject.user(caller.id()), payload)));
        }
        throw new TooManyReadsException(refusal.retryAfter());
    }
}
