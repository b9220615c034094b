package org.custody.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.custody.access.Viewer;
import org.custody.common.Edit;
import org.custody.common.Ids;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.common.Page;
import org.custody.common.Sha256Digest;
import org.custody.common.Validation;
import org.custody.log.Actor;
import org.custody.log.Ledger;
import org.custody.log.Recorded;
import org.jdbi.v3.core.Jdbi;

/** The evidence feature's operations: references to preserved originals, their case links and chain of custody. */
public final class Evidence {
    private static final int MAX_LINKED_CASES = 200;
    /** Clocks differ: a custody event stamped a little ahead of ours is still accepted. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final EvidenceDocuments documents;
    private final Validation validation;
    private final Clock clock;

    public Evidence(Jdbi jdbi, Ledger ledger, ObjectMapper mapper, Validation validation, Clock clock) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.documents = new EvidenceDocuments(mapper);
        this.validation = validation;
        this.clock = clock;
    }

    /** Adds a reference from a request body: the evidence fields and {@code caseIds}, the cases it concerns. */
    public Recorded<EvidenceItem> add(Actor actor, Viewer viewer, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.malformed("body", "must be a JSON object");
        }
        ObjectNode fields = ((ObjectNode) body).deepCopy();
        List<UUID> caseIds = caseIds(fields.remove("caseIds"));
        EvidenceDetails details = validation.read(fields, EvidenceDetails.class);
        requireAcceptable(details);
        return ledger.submit(actor, new EvidenceChanges.AddEvidence(Ids.next(), details, caseIds, viewer, documents));
    }

    public Recorded<EvidenceItem> edit(Actor actor, Viewer viewer, UUID id, long expectedVersion, JsonNode body) {
        if (body != null && body.has("caseIds")) {
            throw new InvalidInputException("caseIds", "cannot be patched: link a case with POST /api/v1/evidence/{id}/cases");
        }
        Edit edit = Edit.of(body);
        return ledger.submit(actor, new EvidenceChanges.EditEvidence(id, expectedVersion, edit.patch(), edit.reason(), viewer, documents, validation));
    }

    public Recorded<Void> link(Actor actor, Viewer viewer, UUID evidenceId, UUID caseId) {
        return ledger.submit(actor, new EvidenceChanges.LinkEvidence(evidenceId, caseId, viewer));
    }

    /** Takes an item off a case it was linked to by mistake, saying why. */
    public Recorded<Void> unlink(Actor actor, Viewer viewer, UUID evidenceId, UUID caseId, String reason) {
        return ledger.submit(actor, new EvidenceChanges.UnlinkEvidence(evidenceId, caseId, reason, viewer));
    }

    public Recorded<CustodyEvent> recordCustodyEvent(Actor actor, Viewer viewer, UUID evidenceId, NewCustodyEvent request) {
        Instant now = clock.instant();
        if (request.performedAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidInputException("performedAt", "must not be in the future");
        }
        return ledger.submit(actor, new EvidenceChanges.RecordCustodyEvent(Ids.next(), evidenceId, request, viewer));
    }

    /**
     * The item if the viewer may see one of its cases, listing only the cases they may see; otherwise the same answer
     * as for an item that does not exist.
     */
    public EvidenceItem get(Viewer viewer, UUID id) {
        return jdbi.withExtension(EvidenceDao.class, evidence -> evidence.findVisible(id, viewer)
                .map(row -> documents.item(row, evidence.visibleCaseIds(id, viewer)))
                .orElseThrow(() -> new NotFoundException("Evidence")));
    }

    /** The evidence items among {@code ids} the viewer may read now (none asked, none read). */
    public Set<UUID> visibleAmong(Viewer viewer, Set<UUID> ids) {
        return ids.isEmpty() ? Set.of() : Set.copyOf(jdbi.withExtension(EvidenceDao.class, evidence -> evidence.visibleAmong(ids, viewer)));
    }

    /** The items the viewer may see, oldest first; with {@code digest}, only the references to that original. */
    public Page<EvidenceItem> list(Viewer viewer, Sha256Digest digest, int page, int size) {
        long offset = (long) page * size;
        return jdbi.withExtension(EvidenceDao.class, evidence -> {
            List<EvidenceDao.EvidenceRow> rows = digest == null ? evidence.list(viewer, size, offset)
                    : evidence.listByDigest(viewer, digest.hex(), size, offset);
            long total = digest == null ? evidence.count(viewer) : evidence.countByDigest(viewer, digest.hex());
            return new Page<>(rows.stream().map(row -> documents.item(row, evidence.visibleCaseIds(row.id(), viewer))).toList(), page, size, total);
        });
    }

    /** A page of the evidence linked to a case the viewer may see (the caller checks the case first), oldest first. */
    public Page<EvidenceItem> forCase(Viewer viewer, UUID caseId, int page, int size) {
        return jdbi.withExtension(EvidenceDao.class, evidence -> new Page<>(evidence.forCase(caseId, size, (long) page * size).stream()
                .map(row -> documents.item(row, evidence.visibleCaseIds(row.id(), viewer))).toList(), page, size, evidence.countForCase(caseId)));
    }

    /** A page of the chain of custody of an item the caller has already been shown (so they may see it), in order. */
    public Page<CustodyEvent> custodyEvents(EvidenceItem shown, int page, int size) {
        return jdbi.withExtension(EvidenceDao.class, evidence -> new Page<>(evidence.custodyEvents(shown.id(), size, (long) page * size),
                page, size, evidence.custodyEventCount(shown.id())));
    }

    private void requireAcceptable(EvidenceDetails details) {
        List<InvalidInputException.FieldError> problems = details.problems(clock.instant().atZone(ZoneOffset.UTC).toLocalDate());
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    private static List<UUID> caseIds(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_LINKED_CASES) {
            throw new InvalidInputException("caseIds", "must be an array of at most " + MAX_LINKED_CASES + " case ids");
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            try {
                UUID id = UUID.fromString(node.get(i).isTextual() ? node.get(i).textValue() : "");
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("caseIds[" + i + "]", "must be a case id (UUID)");
            }
        }
        return ids;
    }
}
