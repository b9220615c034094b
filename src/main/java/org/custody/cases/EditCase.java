package org.custody.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.custody.access.ReadRecorder;
import org.custody.access.Viewer;
import org.custody.common.InvalidInputException;
import org.custody.common.MergePatch;
import org.custody.common.NotFoundException;
import org.custody.common.StaleVersionException;
import org.custody.common.Validation;
import org.custody.log.Change;
import org.custody.log.ChangeContext;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.common.InvalidInputException.FieldError;

/**
 * Applies a JSON merge patch (RFC 7396) to a case's details, if the editor saw the current version.
 * The payload keeps the patch itself, so replaying the log repeats exactly this edit. A patch that would store the
 * details exactly as they are changes nothing: the case keeps its version, and the entry is a read of the record
 * ({@code case.viewed}, view {@value ReadRecorder#UNCHANGED_EDIT}), since the answer shows it.
 */
record EditCase(UUID id, long expectedVersion, JsonNode patch, String reason, Viewer viewer, CaseDocuments documents, Validation validation)
        implements Change<CaseRecord> {
    @Override
    public Applied<CaseRecord> apply(ChangeContext context) {
        CaseDao cases = context.attach(CaseDao.class);
        CaseDao.CaseRow current = CaseDao.findVisible(context.handle(), id, viewer).orElseThrow(() -> new NotFoundException("Case"));
        if (current.version() != expectedVersion) {
            throw new StaleVersionException(expectedVersion, current.version());
        }
        CaseDetails edited = validation.read(MergePatch.apply(documents.tree(current.details()), patch), CaseDetails.class);
        CaseDocuments.Stored stored = documents.store(edited);
        if (stored.details().equals(current.details())) {
            // nothing would change: no new version, nothing in the case's history; the answer shows the record, and the entry says so
            return new Applied<>(documents.record(current), ReadRecorder.caseViewEvent(id, ReadRecorder.UNCHANGED_EDIT));
        }
        List<FieldError> future = edited.futureDates(context.now().atZone(java.time.ZoneOffset.UTC).toLocalDate());
        if (!future.isEmpty()) {
            throw new InvalidInputException(future);
        }
        long version = current.version() + 1;
        cases.updateDetails(id, version, stored.derived().category(), stored.details(), stored.derived().searchText(), context.now());
        CaseRecord updated = new CaseRecord(id, current.reference(), version, current.status(), current.restricted(), current.createdAt(), context.now(), edited);

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("caseId", id);
        payload.put("patch", patch);
        payload.put("reason", reason);
        payload.put("version", version);
        payload.put("updatedAt", context.now());
        return new Applied<>(updated, LogEvent.aboutCase(LogAction.CASE_UPDATED, id, payload));
    }
}
