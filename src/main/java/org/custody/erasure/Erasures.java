package org.custody.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.custody.access.Viewer;
import org.custody.common.NotFoundException;
import org.custody.log.Actor;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;

/**
 * Erases a case by law: the case, its status timeline, its grants and the evidence items that concern no other case
 * are deleted from the tables, and so are the payloads of every log entry about them, so nothing the service holds
 * says any longer what was recorded about the person. The entries themselves stay: they never held anything about the
 * person (README, "The log"), and the tree, its checkpoints and proofs stay valid. The erasure is itself an entry,
 * listing every entry erased, so {@code verify-log} expects exactly those payloads to be gone. The records of who read
 * the case stay whole: they say who looked, not what they saw.
 */
public final class Erasures {
    private final Ledger ledger;
    private final ObjectMapper mapper;

    public Erasures(Ledger ledger, ObjectMapper mapper) {
        this.ledger = ledger;
        this.mapper = mapper;
    }

    /**
     * Erases a case the viewer may see (anyone else is told it does not exist). Applied in a batch of its own, so that
     * every entry about the case is stored by the time it lists them.
     */
    public Recorded<Erasure> erase(Actor actor, Viewer viewer, UUID caseId, ErasureRequest request) {
        return ledger.submit(actor, (Change.Alone<Erasure>) context -> {
            ErasureDao erasures = context.attach(ErasureDao.class);
            ErasureDao.ErasedCase erased = erasures.visibleCase(caseId, viewer).orElseThrow(() -> new NotFoundException("Case"));
            List<UUID> linked = erasures.linkedEvidence(caseId);
            Set<UUID> concernOthers = linked.isEmpty() ? Set.of() : concernAnotherCase(erasures.linkingPayloads(linked), caseId);
            List<UUID> erasedEvidence = linked.stream().filter(evidenceId -> !concernOthers.contains(evidenceId)).toList();
            List<UUID> keptEvidence = linked.stream().filter(concernOthers::contains).toList();
            Set<UUID> subjects = new LinkedHashSet<>(erasedEvidence);
            subjects.add(caseId);
            List<Long> entries = erasures.entriesAbout(subjects);

            erasures.unlinkAllFrom(caseId);
            erasures.deleteCustodyEvents(erasedEvidence);
            erasures.deleteEvidence(erasedEvidence);
            erasures.deleteStatusChanges(caseId);
            erasures.deleteGrants(caseId);
            erasures.deleteCase(caseId);
            erasures.keepReference(erased);
            erasures.nameErased(entries, caseId);
            erasures.deletePayloads(entries);

            Erasure erasure = new Erasure(caseId, erased.reference(), request.reason(), entries, erasedEvidence, keptEvidence);
            return new Change.Applied<>(erasure, new LogEvent(LogAction.CASE_ERASED, Subject.caseRecord(caseId), erasure, Set.of(caseId)));
        });
    }

    /** The evidence items ever linked to another case than this one: they are kept, as that case's evidence too. */
    private Set<UUID> concernAnotherCase(List<ErasureDao.LinkingPayload> linkingPayloads, UUID caseId) {
        String erased = caseId.toString();
        Set<UUID> others = new HashSet<>();
        for (ErasureDao.LinkingPayload linking : linkingPayloads) {
            JsonNode payload = read(linking.payload());
            List<JsonNode> linkedTo = new ArrayList<>();
            payload.path("evidence").path("caseIds").forEach(linkedTo::add);
            linkedTo.add(payload.path("caseId"));
            if (linkedTo.stream().anyMatch(id -> id.isTextual() && !id.asText().equals(erased))) {
                others.add(linking.evidenceId());
            }
        }
        return others;
    }

    private JsonNode read(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            // the service wrote it; verify-log reports a payload that is not JSON
            throw new IllegalStateException("a stored payload is not JSON", e);
        }
    }
}
