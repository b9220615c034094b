package org.custody.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.custody.access.Viewer;
import org.custody.common.ConflictException;
import org.custody.common.NotFoundException;
import org.custody.common.Page;
import org.custody.log.Actor;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogDao;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.jdbi.v3.core.Jdbi;

/**
 * Erases a case by law: the case, its status timeline, its grants and the evidence items that concern no other case
 * are deleted from the tables, and so are the payloads of every log entry about them, so nothing the service holds
 * says any longer what was recorded about the person. The entries themselves stay: they never held anything about the
 * person (README, "The log"), and the tree, its checkpoints and proofs stay valid. The erasure is itself an entry,
 * listing every entry erased, so {@code verify-log} expects exactly those payloads to be gone. The records of who read
 * the case stay whole: they say who looked, not what they saw.
 *
 * <p>No one erases alone: an administrator proposes the erasure with its legal basis, and another approves that
 * proposal within the approval window. Each step is an entry; every step is applied in a batch of its own, so that it
 * sees every entry about the case written before it.
 */
public final class Erasures {
    private final Jdbi jdbi;
    private final Ledger ledger;
    private final ObjectMapper mapper;
    private final Duration approvalWindow;

    public Erasures(Jdbi jdbi, Ledger ledger, ObjectMapper mapper, Duration approvalWindow) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.mapper = mapper;
        this.approvalWindow = approvalWindow;
    }

    /** Proposes erasing a case the viewer may see (anyone else is told it does not exist); one proposal at a time. */
    public Recorded<ErasureProposal> propose(Actor actor, Viewer viewer, UUID caseId, ErasureRequest request) {
        Recorded<ErasureProposal> recorded = ledger.submit(actor, (Change.Alone<ErasureProposal>) context -> {
            ErasureDao erasures = context.attach(ErasureDao.class);
            erasures.visibleCase(caseId, viewer).orElseThrow(() -> new NotFoundException("Case"));
            if (pending(erasures, caseId, context.now()).isPresent()) {
                throw new ConflictException("An erasure of this case is already proposed: approve or withdraw it first");
            }
            Instant expiresAt = context.now().plus(approvalWindow);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("caseId", caseId);
            payload.put("reason", request.reason());
            payload.put("expiresAt", expiresAt);
            erasures.setProposal(caseId, context.index());
            return new Change.Applied<>(new ErasureProposal(context.index(), caseId, request.reason(), context.actor(), context.now(), expiresAt),
                    new LogEvent(LogAction.CASE_ERASURE_PROPOSED, Subject.caseRecord(caseId), payload, Set.of(caseId)));
        });
        // what approving it would do, read once the proposal is committed: no work for the ledger's one writer
        EvidenceOfCase evidence = jdbi.withExtension(ErasureDao.class, erasures -> evidenceOf(erasures, caseId));
        return new Recorded<>(recorded.value().previewing(evidence), recorded.logIndex());
    }

    /** The erasure proposed of a case the viewer may see, while it can still be approved. */
    public ErasureProposal pending(Viewer viewer, UUID caseId, Instant now) {
        return jdbi.withExtension(ErasureDao.class, erasures -> {
            erasures.visibleCase(caseId, viewer).orElseThrow(() -> new NotFoundException("Case"));
            return pending(erasures, caseId, now).map(proposal -> proposal.previewing(evidenceOf(erasures, caseId)));
        }).orElseThrow(() -> new NotFoundException("Erasure proposal"));
    }

    /**
     * The erasures proposed of cases the viewer may see that can still be approved, oldest first: what a second
     * administrator is asked to read and approve or withdraw. Without the evidence preview, which each proposal's
     * own reading gives.
     */
    public Page<PendingErasure> awaitingApproval(Viewer viewer, Instant now, int page, int size) {
        List<PendingErasure> open = jdbi.withExtension(ErasureDao.class, erasures -> erasures.proposedCases(viewer)).stream()
                .flatMap(proposed -> read(proposed.caseId(), proposed.entry()).stream()
                        .filter(proposal -> now.isBefore(proposal.expiresAt()))
                        .map(proposal -> PendingErasure.of(proposal, proposed.reference())))
                .toList();
        // paged here, not in SQL: the expiry is in the proposal's payload, and the proposals pending are few
        int from = (int) Math.min((long) page * size, open.size());
        return new Page<>(open.subList(from, Math.min(from + size, open.size())), page, size, open.size());
    }

    /** Withdraws the erasure proposed of a case; any administrator who could approve it may. */
    public Recorded<Void> withdraw(Actor actor, Viewer viewer, UUID caseId) {
        return ledger.submit(actor, (Change.Alone<Void>) context -> {
            ErasureDao erasures = context.attach(ErasureDao.class);
            erasures.visibleCase(caseId, viewer).orElseThrow(() -> new NotFoundException("Case"));
            ErasureProposal proposal = pending(erasures, caseId, context.now()).orElseThrow(() -> new NotFoundException("Erasure proposal"));
            erasures.setProposal(caseId, null);
            return new Change.Applied<>(null, new LogEvent(LogAction.CASE_ERASURE_WITHDRAWN, Subject.caseRecord(caseId),
                    Map.of("caseId", caseId, "proposal", proposal.proposal()), Set.of(caseId)));
        });
    }

    /**
     * Approves the erasure proposed of a case the viewer may see, and erases it: only the proposal named, only while it
     * can be approved, and only by another administrator than the one who proposed it.
     */
    public Recorded<Erasure> approve(Actor actor, Viewer viewer, UUID caseId, long proposalIndex) {
        return ledger.submit(actor, (Change.Alone<Erasure>) context -> {
            ErasureDao erasures = context.attach(ErasureDao.class);
            ErasureDao.ErasedCase erased = erasures.visibleCase(caseId, viewer).orElseThrow(() -> new NotFoundException("Case"));
            ErasureProposal proposal = proposal(erasures, caseId)
                    .orElseThrow(() -> new ConflictException("No erasure of this case is proposed"));
            if (proposal.proposal() != proposalIndex) {
                throw new ConflictException("Proposal " + proposalIndex + " is not the erasure proposed of this case now (it was withdrawn or"
                        + " proposed again); read the proposal and approve that one");
            }
            if (!context.now().isBefore(proposal.expiresAt())) {
                throw new ConflictException("The proposal expired at " + proposal.expiresAt() + "; it has to be proposed again");
            }
            if (proposal.proposedBy().id().equals(context.actor().id())) {
                throw new SecondPersonRequiredException();
            }
            return erase(erasures, erased, proposal);
        });
    }

    private Change.Applied<Erasure> erase(ErasureDao erasures, ErasureDao.ErasedCase erased, ErasureProposal proposal) {
        UUID caseId = erased.id();
        EvidenceOfCase evidence = evidenceOf(erasures, caseId);
        List<UUID> erasedEvidence = evidence.erased();
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

        Erasure erasure = new Erasure(caseId, erased.reference(), proposal.reason(), proposal.proposal(), proposal.proposedBy().id(),
                proposal.expiresAt(), entries, erasedEvidence, evidence.kept());
        return new Change.Applied<>(erasure, new LogEvent(LogAction.CASE_ERASED, Subject.caseRecord(caseId), erasure, Set.of(caseId)));
    }

    /** The proposal that can still be approved, if any. */
    private Optional<ErasureProposal> pending(ErasureDao erasures, UUID caseId, Instant now) {
        return proposal(erasures, caseId).filter(proposal -> now.isBefore(proposal.expiresAt()));
    }

    /** The erasure proposed of the case and not yet approved or withdrawn; expired or not. */
    private Optional<ErasureProposal> proposal(ErasureDao erasures, UUID caseId) {
        return erasures.proposalEntry(caseId).flatMap(entry -> read(caseId, entry));
    }

    /** The proposal an entry records; none when the entry is not a proposal of this case's erasure. */
    private Optional<ErasureProposal> read(UUID caseId, LogDao.StoredEntry entry) {
        JsonNode recorded = read(new String(entry.entryBytes(), StandardCharsets.UTF_8));
        if (!recorded.path("action").asText().equals(LogAction.CASE_ERASURE_PROPOSED.wireName())
                || !recorded.path("subject").path("id").asText().equals(caseId.toString()) || entry.payload() == null) {
            return Optional.empty(); // the column names another entry: verify-log reports it, and nothing is approved by it
        }
        JsonNode payload = read(entry.payload());
        JsonNode actor = recorded.get("actor");
        return Optional.of(new ErasureProposal(entry.idx(), caseId, payload.get("reason").asText(),
                new Actor(UUID.fromString(actor.get("id").asText()), actor.get("username").asText()),
                Instant.parse(recorded.get("time").asText()), Instant.parse(payload.get("expiresAt").asText())));
    }

    /**
     * The evidence linked to a case, as an erasure of it treats it: the items that never concerned another case are
     * erased with it, the others kept, as that case's evidence too, and taken off this one.
     */
    record EvidenceOfCase(List<UUID> erased, List<UUID> kept) {}

    private EvidenceOfCase evidenceOf(ErasureDao erasures, UUID caseId) {
        List<UUID> linked = erasures.linkedEvidence(caseId);
        Set<UUID> concernOthers = linked.isEmpty() ? Set.of() : concernAnotherCase(erasures.linkingPayloads(linked), caseId);
        return new EvidenceOfCase(linked.stream().filter(evidenceId -> !concernOthers.contains(evidenceId)).toList(),
                linked.stream().filter(concernOthers::contains).toList());
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
