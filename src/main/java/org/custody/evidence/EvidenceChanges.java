package org.custody.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.custody.access.ReadRecorder;
import org.custody.access.Viewer;
import org.custody.common.ConflictException;
import org.custody.common.InvalidInputException;
import org.custody.common.MergePatch;
import org.custody.common.NotFoundException;
import org.custody.common.StaleVersionException;
import org.custody.common.Validation;
import org.custody.log.Change;
import org.custody.log.ChangeContext;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Subject;

/** The writes of the evidence feature, each applied by the ledger with its log entry. */
final class EvidenceChanges {
    private EvidenceChanges() {}

    /** Adds an evidence reference linked to existing cases. */
    record AddEvidence(UUID id, EvidenceDetails details, List<UUID> caseIds, Viewer viewer, EvidenceDocuments documents)
            implements Change<EvidenceItem> {
        @Override
        public Applied<EvidenceItem> apply(ChangeContext context) {
            EvidenceDao evidence = context.attach(EvidenceDao.class);
            requireCases(evidence, caseIds, viewer);
            evidence.insert(id, details.kind().name(), EvidenceDao.digest(details.sha256()), documents.write(details), context.now());
            for (UUID caseId : caseIds) {
                evidence.link(id, caseId, context.now());
            }
            EvidenceItem item = new EvidenceItem(id, 1, caseIds, context.now(), context.now(), details);
            return new Applied<>(item, new LogEvent(LogAction.EVIDENCE_CREATED, Subject.evidence(id), Map.of("evidence", item), Set.copyOf(caseIds)));
        }
    }

    /**
     * Edits an evidence reference with a JSON merge patch, if the editor saw the current version. A patch that would
     * store the details exactly as they are changes nothing: the item keeps its version, and the entry is a read of it
     * ({@code evidence.viewed}, view {@value ReadRecorder#UNCHANGED_EDIT}), since the answer shows it.
     */
    record EditEvidence(UUID id, long expectedVersion, JsonNode patch, String reason, Viewer viewer, EvidenceDocuments documents,
                        Validation validation) implements Change<EvidenceItem> {
        @Override
        public Applied<EvidenceItem> apply(ChangeContext context) {
            EvidenceDao evidence = context.attach(EvidenceDao.class);
            EvidenceDao.EvidenceRow current = evidence.findVisible(id, viewer).orElseThrow(() -> new NotFoundException("Evidence"));
            if (current.version() != expectedVersion) {
                throw new StaleVersionException(expectedVersion, current.version());
            }
            JsonNode before = documents.tree(current.details());
            EvidenceDetails edited = validation.read(MergePatch.apply(before, patch), EvidenceDetails.class);
            String stored = documents.write(edited);
            if (stored.equals(current.details())) {
                // nothing would change: no new version, nothing in the item's history; the answer shows the item, and the entry says so
                List<UUID> shownWith = evidence.visibleCaseIds(id, viewer);
                return new Applied<>(documents.item(current, shownWith), ReadRecorder.evidenceViewEvent(id, shownWith, ReadRecorder.UNCHANGED_EDIT));
            }
            List<InvalidInputException.FieldError> problems = edited.problems(context.now().atZone(ZoneOffset.UTC).toLocalDate());
            if ((reason == null || reason.isBlank()) && !before.path("sha256").asText("").equals(edited.sha256() == null ? "" : edited.sha256().hex())) {
                // the digest is what ties this reference to one original; a new one says the reference now means other bytes
                problems.add(new InvalidInputException.FieldError("reason", "is required when the SHA-256 digest changes or is removed"));
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            long version = current.version() + 1;
            evidence.update(id, version, edited.kind().name(), EvidenceDao.digest(edited.sha256()), stored, context.now());
            List<UUID> caseIds = evidence.caseIds(id);
            EvidenceItem item = new EvidenceItem(id, version, evidence.visibleCaseIds(id, viewer), current.createdAt(), context.now(), edited);

            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("evidenceId", id);
            payload.put("patch", patch);
            payload.put("reason", reason);
            payload.put("version", version);
            payload.put("updatedAt", context.now());
            return new Applied<>(item, new LogEvent(LogAction.EVIDENCE_UPDATED, Subject.evidence(id), payload, Set.copyOf(caseIds)));
        }
    }

    /** Links an existing evidence item to one more case. */
    record LinkEvidence(UUID evidenceId, UUID caseId, Viewer viewer) implements Change<Void> {
        @Override
        public Applied<Void> apply(ChangeContext context) {
            EvidenceDao evidence = context.attach(EvidenceDao.class);
            evidence.findVisible(evidenceId, viewer).orElseThrow(() -> new NotFoundException("Evidence"));
            requireCases(evidence, List.of(caseId), viewer);
            if (evidence.caseIds(evidenceId).contains(caseId)) {
                throw new ConflictException("The evidence is already linked to this case");
            }
            evidence.link(evidenceId, caseId, context.now());
            Map<String, Object> payload = Map.of("evidenceId", evidenceId, "caseId", caseId, "linkedAt", context.now());
            return new Applied<>(null, new LogEvent(LogAction.EVIDENCE_LINKED, Subject.evidence(evidenceId), payload, Set.of(caseId)));
        }
    }

    /**
     * Takes an evidence item off a case it was linked to by mistake, with the reason. The item keeps at least one case
     * (with none it would be visible to every case worker, though its only case may have been restricted), and a status
     * change of the case that cites it keeps it too: the case's timeline would otherwise cite evidence not in its file.
     */
    record UnlinkEvidence(UUID evidenceId, UUID caseId, String reason, Viewer viewer) implements Change<Void> {
        @Override
        public Applied<Void> apply(ChangeContext context) {
            EvidenceDao evidence = context.attach(EvidenceDao.class);
            evidence.findVisible(evidenceId, viewer).orElseThrow(() -> new NotFoundException("Evidence"));
            if (evidence.caseVisible(caseId, viewer) == 0) {
                throw new NotFoundException("Case");
            }
            List<UUID> linked = evidence.caseIds(evidenceId);
            if (!linked.contains(caseId)) {
                throw new NotFoundException("Link between the evidence and the case");
            }
            if (linked.size() == 1) {
                throw new ConflictException("This is the item's only case: link it to the right case first, then take it off this one");
            }
            if (evidence.citations(caseId, evidenceId.toString()) > 0) {
                throw new ConflictException("A status change of this case cites the item, so it stays in the case's file");
            }
            evidence.unlink(evidenceId, caseId);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("evidenceId", evidenceId);
            payload.put("caseId", caseId);
            payload.put("reason", reason);
            payload.put("unlinkedAt", context.now());
            return new Applied<>(null, new LogEvent(LogAction.EVIDENCE_UNLINKED, Subject.evidence(evidenceId), payload, Set.of(caseId)));
        }
    }

    /** Appends a chain-of-custody event to an evidence item. */
    record RecordCustodyEvent(UUID id, UUID evidenceId, NewCustodyEvent request, Viewer viewer) implements Change<CustodyEvent> {
        @Override
        public Applied<CustodyEvent> apply(ChangeContext context) {
            EvidenceDao evidence = context.attach(EvidenceDao.class);
            evidence.findVisible(evidenceId, viewer).orElseThrow(() -> new NotFoundException("Evidence"));
            CustodyEvent event = new CustodyEvent(id, evidenceId, evidence.lastCustodyEventSequence(evidenceId) + 1, request.action(),
                    request.performedAt(), request.note(), context.actor().id(), context.now());
            evidence.insertCustodyEvent(id, evidenceId, event.sequence(), event.action().name(), event.performedAt(), event.note(),
                    event.recordedBy(), event.recordedAt());
            return new Applied<>(event, new LogEvent(LogAction.CUSTODY_EVENT_RECORDED, Subject.evidence(evidenceId),
                    Map.of("custodyEvent", event), Set.copyOf(evidence.caseIds(evidenceId))));
        }
    }

    /** Every case exists and the writer may see it; one they may not see is reported as not existing. */
    private static void requireCases(EvidenceDao evidence, List<UUID> caseIds, Viewer viewer) {
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            if (evidence.caseVisible(caseIds.get(i), viewer) == 0) {
                errors.add(new InvalidInputException.FieldError("caseIds[" + i + "]", "is not an existing case"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
