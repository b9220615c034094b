package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.custody.log.EntryEncoder;
import org.custody.log.Jcs;
import org.custody.log.LogAction;
import org.custody.log.LogDao;

/**
 * A forged or damaged log can hold, under a valid commitment, any payload at all. verify-log's work on each entry
 * (examining it, replaying its payload, following sign-ins and sessions, working out its case links) must turn every
 * one of them into findings or nothing: an exception would stop the check and report nothing about the rest of the log.
 */
class HostileEntriesProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String FIRST = "0190f5a0-0000-7000-8000-000000000001";
    private static final String SECOND = "0190f5a0-0000-7000-8000-000000000002";
    private static final String TIME = "2026-12-04T03:00:00.000Z";
    /** Every member name a payload of some action is read for. */
    private static final List<String> MEMBERS = List.of("user", "case", "evidence", "custodyEvent", "statusChange", "grant", "export",
            "caseId", "evidenceId", "userId", "patch", "version", "updatedAt", "restricted", "keyId", "name", "publicKey", "validFrom",
            "previousKeyId", "caseIds", "sessionId", "expiresAt", "scope", "sessionsEnded", "expiredSessionsEnded", "credentialsDigest",
            "tokenDigest", "view", "status", "recordedAt", "id", "cases", "active", "reason", "unlinkedAt");

    @Property(tries = 1_000)
    void everyEntryBecomesFindingsNeverAnException(@ForAll("logs") List<Entry> log) {
        EntryExamination examination = new EntryExamination(MAPPER);
        Replay replay = new Replay(MAPPER, true);
        SignInState signIns = new SignInState(MAPPER);
        CaseLinks links = new CaseLinks();
        List<String> findings = new ArrayList<>();
        boolean recordReplayed = false;
        for (int index = 0; index < log.size(); index++) {
            EntryExamination.Examined examined = examination.examine(row(index, log.get(index)));
            findings.addAll(examined.problems());
            if (examined.payload() != null) {
                String problem = replay.apply(examined.action(), examined.payload(), examined.canonicalPayload(), examined.whole());
                if (problem != null) findings.add(problem);
                recordReplayed |= problem == null && RECORD_ACTIONS.contains(examined.action());
            }
            if (examined.action() != null) {
                String problem = signIns.follow(examined.action(), examined.subjectId(), examined.time(), examined.payload());
                if (problem != null) findings.add(problem);
            }
            links.expect(examined.index(), examined.action(), examined.subjectId(), examined.payload());
        }
        assertThat(findings).allSatisfy(finding -> assertThat(finding).isNotBlank());
        Statistics.label("a record replayed").collect(recordReplayed);
        Statistics.label("a record replayed").coverage(coverage -> coverage.check(true).percentage(share -> share > 5));
    }

    /** Actions whose payload changes a record the replay keeps: drawn payloads must reach them, not only the refusals. */
    private static final java.util.Set<String> RECORD_ACTIONS = java.util.Set.of("user.created", "user.updated", "case.created", "case.updated",
            "case.status_changed", "case.restriction_changed", "case.grant_added", "case.grant_removed", "evidence.created", "evidence.updated",
            "evidence.linked", "evidence.unlinked", "evidence.custody_event_recorded", "export.created", "log.key_registered", "log.key_rotated");

    record Entry(String action, String subjectId, JsonNode payload) {}

    /** The entry as the database holds it: its bytes under a commitment that matches the payload, and the lookup copies. */
    private static LogDao.EntryWithCopies row(long index, Entry entry) {
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) index);
        byte[] payloadBytes = Jcs.canonicalOrNull(entry.payload());
        String payload = payloadBytes == null ? entry.payload().toString() : new String(payloadBytes, StandardCharsets.UTF_8);
        ObjectNode bytes = NODES.objectNode();
        bytes.put("action", entry.action());
        bytes.putObject("actor").put("id", FIRST).put("username", "worker");
        bytes.put("index", index);
        bytes.put("payload", Base64.getEncoder().encodeToString(EntryEncoder.commitment(salt, payload)));
        bytes.putObject("subject").put("id", entry.subjectId()).put("type", "case");
        bytes.put("time", TIME);
        bytes.put("v", 1);
        UUID subject = entry.subjectId() == null || entry.subjectId().length() != 36 ? null : UUID.fromString(entry.subjectId());
        return new LogDao.EntryWithCopies(new LogDao.StoredEntry(index, Jcs.canonicalize(bytes), salt, payload), entry.action(), "case",
                subject, Instant.parse(TIME));
    }

    @Provide
    Arbitrary<List<Entry>> logs() {
        Arbitrary<JsonNode> leaves = Arbitraries.of(NODES.nullNode(), NODES.textNode(FIRST), NODES.textNode(SECOND), NODES.textNode("text"),
                NODES.textNode(TIME), NODES.textNode("FULL"), NODES.numberNode(0), NODES.numberNode(1), NODES.numberNode(-7),
                NODES.numberNode(new BigInteger("123456789012345678901234567890")), NODES.numberNode(1.5), NODES.booleanNode(false),
                NODES.booleanNode(true));
        Arbitrary<JsonNode> values = Arbitraries.recursive(() -> leaves, this::containers, 3);
        Arbitrary<JsonNode> payloads = Arbitraries.of(MEMBERS).list().ofMaxSize(6).uniqueElements()
                .flatMap(names -> values.list().ofSize(names.size()).map(chosen -> {
                    ObjectNode payload = NODES.objectNode();
                    for (int i = 0; i < names.size(); i++) {
                        payload.set(names.get(i), chosen.get(i));
                    }
                    return (JsonNode) payload;
                }));
        Arbitrary<String> actions = Arbitraries.of(LogAction.values()).map(LogAction::wireName);
        Arbitrary<Entry> entry = Combinators.combine(actions, Arbitraries.of(FIRST, SECOND, "not-a-uuid"),
                Arbitraries.oneOf(payloads, values)).as(Entry::new);
        return entry.list().ofMaxSize(12);
    }

    /** Objects and arrays of the values below them, ids among their members, so that records are found and changed. */
    private Arbitrary<JsonNode> containers(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> objects = Combinators.combine(Arbitraries.of(MEMBERS).list().ofMaxSize(4).uniqueElements(), inner.list().ofSize(4),
                Arbitraries.of(FIRST, SECOND)).as((names, chosen, id) -> {
                    ObjectNode object = NODES.objectNode().put("id", id);
                    for (int i = 0; i < names.size(); i++) {
                        object.set(names.get(i), chosen.get(i));
                    }
                    return (JsonNode) object;
                });
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(3).map(elements -> {
            ArrayNode array = NODES.arrayNode();
            elements.forEach(array::add);
            return (JsonNode) array;
        });
        return Arbitraries.oneOf(objects, arrays);
    }
}
