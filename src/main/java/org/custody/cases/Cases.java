package org.custody.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.custody.access.Viewer;
import org.custody.common.Edit;
import org.custody.common.Ids;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.common.Page;
import org.custody.common.TextSearch;
import org.custody.common.Validation;
import org.custody.log.Actor;
import org.custody.log.Ledger;
import org.custody.log.Recorded;
import org.jdbi.v3.core.Jdbi;

/** The case feature's operations: writes go through the ledger as changes, reads straight to the tables. */
public final class Cases {
    /** A case reference as {@link CaseRecord#reference} writes it, in either case. */
    private static final Pattern REFERENCE = Pattern.compile("[Cc]-\\d{4}-\\d{6,}");

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final Ledger ledger;
    private final CaseDocuments documents;
    private final Validation validation;
    private final Clock clock;

    public Cases(Jdbi jdbi, DataSource dataSource, Ledger ledger, ObjectMapper mapper, Validation validation, Clock clock) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.documents = new CaseDocuments(mapper);
        this.validation = validation;
        this.clock = clock;
    }

    public Recorded<CaseRecord> create(Actor actor, CaseDetails details) {
        List<InvalidInputException.FieldError> future = details.futureDates(today());
        if (!future.isEmpty()) {
            throw new InvalidInputException(future);
        }
        return ledger.submit(actor, new CreateCase(Ids.next(), details, documents.store(details)));
    }

    /**
     * Edits a case with a JSON merge patch of its details. A top-level {@code reason} member is not a case
     * field: it says why (for a correction) and goes into the log with the patch.
     */
    public Recorded<CaseRecord> edit(Actor actor, Viewer viewer, UUID id, long expectedVersion, JsonNode body) {
        Edit edit = Edit.of(body);
        return ledger.submit(actor, new EditCase(id, expectedVersion, edit.patch(), edit.reason(), viewer, documents, validation));
    }

    public Recorded<StatusChange> changeStatus(Actor actor, Viewer viewer, UUID caseId, NewStatusChange request) {
        if (request.effectiveDate().isAfter(today())) {
            throw new InvalidInputException("effectiveDate", "must not be in the future");
        }
        return ledger.submit(actor, new RecordStatusChange(Ids.next(), caseId, request, viewer));
    }

    /** The case, if the viewer may see it; otherwise the same answer as for a case that does not exist. */
    public CaseRecord get(Viewer viewer, UUID id) {
        return CaseDao.findVisible(dataSource, id, viewer).map(documents::record)
                .orElseThrow(() -> new NotFoundException("Case"));
    }

    /** The cases among {@code ids} the viewer may read now (none asked, none read). */
    public Set<UUID> visibleAmong(Viewer viewer, Set<UUID> ids) {
        return ids.isEmpty() ? Set.of() : Set.copyOf(jdbi.withExtension(CaseDao.class, cases -> cases.visibleAmong(ids, viewer)));
    }

    /**
     * Filters by status and category and searches every name, ignoring case and diacritics, or finds a case by its
     * reference (someone calls about "C-2026-000042"); ordered by reference. Only the cases the viewer may see are
     * searched, counted or listed.
     */
    public Page<CaseRecord> search(Viewer viewer, CaseStatus status, Category category, String text, int page, int size) {
        String statusName = status == null ? null : status.name();
        String categoryName = category == null ? null : category.name();
        String typed = text == null ? "" : text.strip();
        String pattern = typed.isEmpty() ? null : TextSearch.containsPattern(typed);
        String reference = REFERENCE.matcher(typed).matches() ? typed.toUpperCase(Locale.ROOT) : null;
        return jdbi.withExtension(CaseDao.class, cases -> new Page<>(
                cases.search(statusName, categoryName, pattern, reference, viewer, size, (long) page * size).stream().map(documents::record).toList(),
                page, size, cases.count(statusName, categoryName, pattern, reference, viewer)));
    }

    /** A page of a case's status timeline, oldest first. */
    public Page<StatusChange> timeline(Viewer viewer, UUID caseId, int page, int size) {
        get(viewer, caseId);
        return jdbi.withExtension(CaseDao.class, cases -> new Page<>(cases.statusChanges(caseId, size, (long) page * size), page, size,
                cases.countStatusChanges(caseId)));
    }

    private LocalDate today() {
        return clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
    }
}
