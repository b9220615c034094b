package org.custody.cases;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.custody.log.Change;
import org.custody.log.ChangeContext;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;

/**
 * Opens a case with the next reference number; every case starts as {@link CaseStatus#REPORTED}. The stored form of
 * the details (canonical JSON and the columns derived from it) is prepared by the submitter, off the ledger's one writer thread.
 */
record CreateCase(UUID id, CaseDetails details, CaseDocuments.Stored stored) implements Change<CaseRecord> {
    @Override
    public Applied<CaseRecord> apply(ChangeContext context) {
        CaseDao cases = context.attach(CaseDao.class);
        long sequence = context.nextNumber("case reference", cases::lastReferenceSequence);
        String reference = CaseRecord.reference(context.now().atZone(ZoneOffset.UTC).getYear(), sequence);
        CaseDao.insert(context, id, sequence, reference, CaseStatus.REPORTED.name(), stored.derived().category(),
                stored.details(), stored.derived().searchText(), context.now());
        CaseRecord created = new CaseRecord(id, reference, 1, CaseStatus.REPORTED, false, context.now(), context.now(), details);
        return new Applied<>(created, LogEvent.aboutCase(LogAction.CASE_CREATED, id, Map.of("case", created)));
    }
}
