package org.custody.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.custody.audit.Findings;
import org.custody.export.BundleVerifier;
import org.custody.support.Bundles;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case erased by law: one administrator proposes it, another approves; afterwards nothing the service holds says any
 * longer what was recorded about the person, the log's tree and checkpoints stay valid, verify-log expects exactly the
 * payloads the erasure lists to be gone, and what concerns another detainee too stays with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ErasureContract {
    private static final String NAME = "Invented Erasable";
    private static final String SECRET_TITLE = "Invented video of the erasable person";

    TestApp app;
    String worker;
    String eraser;
    String approver;
    String lawyer;
    @TempDir
    Path temp;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database());
        worker = app.userWithRoles("worker", "CASE_WORKER");
        eraser = app.userWithRoles("eraser", "ADMIN,CASE_WORKER");
        approver = app.userWithRoles("approver", "ADMIN,CASE_WORKER");
        lawyer = app.userWithRoles("lawyer", "LAWYER");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private String newCase(String fullName) {
        return app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"" + fullName + "\"},\"category\":\"UNKNOWN\"}").expect(201)
                .json().get("id").asText();
    }

    private String newEvidence(String title, String... caseIds) {
        return app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"" + title + "\",\"obtainedFrom\":\"x\",\"caseIds\":"
                + TestApp.MAPPER.valueToTree(List.of(caseIds)) + "}").expect(201).json().get("id").asText();
    }

    private String erasure(String reason) {
        return TestApp.json("reason", reason);
    }

    /** Proposes erasing the case as {@code proposer}; the proposal's index. */
    private long propose(String caseId, String reason, String proposer) {
        Reply proposed = app.post("/api/v1/cases/" + caseId + "/erasure", proposer, erasure(reason)).expect(202);
        assertThat(proposed.json().get("proposal").asLong()).isEqualTo(Long.parseLong(proposed.header("Log-Index")));
        return proposed.json().get("proposal").asLong();
    }

    private Reply approve(String caseId, long proposal, String approverToken) {
        return app.post("/api/v1/cases/" + caseId + "/erasure/approval", approverToken, "{\"proposal\":" + proposal + "}");
    }

    /** Erases the case as the service asks: the eraser proposes, the approver approves. */
    private Reply erase(String caseId, String reason) {
        return approve(caseId, propose(caseId, reason, eraser), approver);
    }

    /** How many payloads verify-log found erased by law. */
    private static long erasedPayloads(Findings findings) {
        java.util.regex.Matcher erased = java.util.regex.Pattern.compile("\\((\\d+) payloads erased by law").matcher(String.join("\n", findings.lines()));
        return erased.find() ? Long.parseLong(erased.group(1)) : 0;
    }

    @Test
    void anErasedCaseLeavesNoTraceOfWhatWasRecordedAndTheLogStillVerifies() throws Exception {
        String erased = newCase(NAME);
        String other = newCase("Invented Neighbour");
        app.post("/api/v1/cases/" + erased + "/status-changes", worker, "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\","
                + "\"reason\":\"Invented sighting of " + NAME + "\"}").expect(201);
        String onlyHers = newEvidence(SECRET_TITLE, erased);
        app.post("/api/v1/evidence/" + onlyHers + "/custody-events", worker,
                "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-01T00:00:00Z\",\"note\":\"Invented hand-over of " + NAME + "'s video\"}").expect(201);
        String shared = newEvidence("Invented list of detainees", erased, other);
        String oncePassed = newEvidence("Invented photo, once filed with the neighbour", other);
        app.post("/api/v1/evidence/" + oncePassed + "/cases", worker, "{\"caseId\":\"" + erased + "\"}").expect(204);
        app.delete("/api/v1/evidence/" + oncePassed + "/cases/" + other, worker, "{\"reason\":\"filed with the wrong case\"}").expect(204);
        app.post("/api/v1/cases/" + erased + "/grants", app.adminToken(), TestApp.json("userId", app.userId(lawyer), "reason", "Invented mandate"))
                .expect(201);
        String export = app.post("/api/v1/exports", lawyer, "{\"caseIds\":[\"" + erased + "\"],\"purpose\":\"Invented hearing\"}").expect(201)
                .json().get("id").asText();
        app.get("/api/v1/cases/" + erased, lawyer).expect(200);
        String reference = app.get("/api/v1/cases/" + erased, worker).json().get("reference").asText();
        String checkpointBefore = app.get("/api/v1/log/checkpoint", null).body();
        long sizeBefore = app.logSize();

        long erasedBefore = erasedPayloads(app.verifyLog());
        long proposal = propose(erased, "Invented court order 12/2026", eraser);
        JsonNode pending = app.get("/api/v1/cases/" + erased + "/erasure", approver).expect(200).json();
        assertThat(pending.get("erasesEvidenceIds")).as("what approving it would erase").extracting(JsonNode::asText).containsExactly(onlyHers);
        assertThat(pending.get("unlinksEvidenceIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder(shared, oncePassed);
        Reply reply = approve(erased, proposal, approver);

        JsonNode done = reply.expect(200).json();
        long erasureIndex = Long.parseLong(reply.header("Log-Index"));
        assertThat(done.get("reference").asText()).isEqualTo(reference);
        assertThat(done.get("erasedEvidenceIds")).extracting(JsonNode::asText).containsExactly(onlyHers);
        assertThat(done.get("unlinkedEvidenceIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder(shared, oncePassed);
        List<Long> erasedEntries = TestApp.MAPPER.convertValue(done.get("erasedEntries"), TestApp.MAPPER.getTypeFactory()
                .constructCollectionType(List.class, Long.class));
        // created, status change, grant, the erasure's proposal; the item's creation and custody event
        assertThat(erasedEntries).hasSize(6).allMatch(index -> index < erasureIndex);

        // gone from every read, for everyone
        assertThat(app.get("/api/v1/cases/" + erased, worker).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/cases/" + erased, lawyer).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/evidence/" + onlyHers, worker).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/cases?q=Erasable", worker).json().get("total").asLong()).isZero();
        assertThat(app.get("/api/v1/evidence/" + shared, worker).json().get("caseIds")).extracting(JsonNode::asText).containsExactly(other);
        assertThat(app.get("/api/v1/evidence/" + oncePassed, worker).json().get("caseIds")).as("kept: it concerned the neighbour once")
                .isEmpty();
        assertThat(app.download("/api/v1/exports/" + export + "/bundle", lawyer).status()).as("its bundle would no longer be the one handed out")
                .isEqualTo(404);
        assertThat(app.get("/api/v1/exports/" + export, lawyer).json().get("cases").get(0).get("reference").asText())
                .as("what was handed out stays on record").isEqualTo(reference);

        // nothing in the database says what was recorded about her; the log's entries and checkpoints are untouched
        for (String column : List.of("cases.details", "cases.search_text", "status_change.reason", "evidence.details", "custody_event.note",
                "case_grant.reason", "log_payload.payload")) {
            String[] tableAndColumn = column.split("\\.");
            assertThat(app.queryLong("SELECT COUNT(*) FROM " + tableAndColumn[0] + " WHERE LOWER(" + tableAndColumn[1] + ") LIKE '%erasable%'"
                    + " OR " + tableAndColumn[1] + " LIKE '%Invented mandate%'")).as(column).isZero();
        }
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry WHERE idx < " + sizeBefore)).isEqualTo(sizeBefore);
        assertThat(app.get("/api/v1/log/checkpoints/" + org.custody.log.signing.Checkpoint.parse(
                org.custody.log.signing.SignedNote.parse(checkpointBefore).body()).size(), null).body()).isEqualTo(checkpointBefore);
        JsonNode erasedEntry = app.get("/api/v1/log/entries/" + erasedEntries.get(0), app.adminToken()).json();
        assertThat(erasedEntry.get("payload").isNull()).isTrue();
        assertThat(erasedEntry.has("payloadWithheld")).as("not withheld: gone").isFalse();
        JsonNode erasureEntry = app.get("/api/v1/log/entries/" + erasureIndex, app.adminToken()).json();
        assertThat(erasureEntry.get("entry").get("action").asText()).isEqualTo("case.erased");
        assertThat(erasureEntry.get("payload").get("reason").asText()).isEqualTo("Invented court order 12/2026");
        assertThat(erasureEntry.get("entry").get("actor").get("id").asText()).isEqualTo(app.userId(approver));
        assertThat(erasureEntry.get("payload").get("proposedBy").asText()).isEqualTo(app.userId(eraser));

        Findings findings = app.verifyLog();
        assertThat(findings.problems()).isEmpty();
        assertThat(String.join("\n", findings.lines())).contains("payloads erased by law, each listed by an erasure");
        assertThat(erasedPayloads(findings)).as("the other tests' erasures share the log").isEqualTo(erasedBefore + 6);

        // the neighbour's file still exports and verifies, with the shared item
        String neighbours = app.post("/api/v1/exports", worker, "{\"caseIds\":[\"" + other + "\"],\"purpose\":\"Invented hearing\"}").expect(201)
                .json().get("id").asText();
        TestApp.BinaryReply bundle = app.download("/api/v1/exports/" + neighbours + "/bundle", worker);
        assertThat(bundle.status()).isEqualTo(200);
        String vkey = app.get("/api/v1/log/keys", null).json().get(0).get("verifierKey").asText();
        Findings bundleFindings = new BundleVerifier(TestApp.MAPPER).verify(Bundles.zip(Bundles.unzip(bundle.body()), temp.resolve("neighbour.zip")),
                Optional.of(vkey), Optional.empty());
        assertThat(bundleFindings.problems()).isEmpty();
        Bundles.unzip(bundle.body()).forEach((name, content) ->
                assertThat(new String(content, java.nio.charset.StandardCharsets.UTF_8)).as(name).doesNotContain("Erasable"));

        // the reference is never given again
        String next = newCase("Invented Newcomer");
        assertThat(app.get("/api/v1/cases/" + next, worker).json().get("reference").asText()).isNotEqualTo(reference);
        assertThat(app.verifyLog().problems()).isEmpty();
    }

    @Test
    void anErasureIsRefusedWithoutWritingUnlessAnAdministratorWhoMayEditTheCaseGivesAReason() {
        String kept = newCase("Invented Kept");
        String restricted = newCase("Invented Restricted");
        app.put("/api/v1/cases/" + restricted + "/restriction", app.adminToken(), "{\"restricted\":true,\"reason\":\"invented risk\"}").expect(200);
        List<Long> before = app.footprint();

        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", app.adminToken(), erasure("order")).status())
                .as("an administrator who may not edit cases").isEqualTo(403);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", worker, erasure("order")).status()).as("a case worker").isEqualTo(403);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", lawyer, erasure("order")).status()).isEqualTo(403);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", null, erasure("order")).status()).isEqualTo(401);
        Reply blank = app.post("/api/v1/cases/" + kept + "/erasure", eraser, erasure(" "));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.json().toString()).contains("reason");
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", eraser, "{}").status()).isEqualTo(422);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", eraser, "[1]").status()).isEqualTo(400);
        Reply hidden = app.post("/api/v1/cases/" + restricted + "/erasure", eraser, erasure("order"));
        Reply missing = app.post("/api/v1/cases/" + java.util.UUID.randomUUID() + "/erasure", eraser, erasure("order"));
        assertThat(hidden.status()).as("a restricted case not granted to them").isEqualTo(404);
        assertThat(hidden.body()).isEqualTo(missing.body());
        assertThat(app.post("/api/v1/cases/not-an-id/erasure", eraser, erasure("order")).status()).isEqualTo(404);

        for (String path : List.of("/api/v1/cases/" + kept + "/erasure", "/api/v1/cases/" + restricted + "/erasure")) {
            assertThat(app.get(path, eraser).status()).as("nothing proposed").isEqualTo(404);
            assertThat(app.delete(path, eraser).status()).as("nothing to withdraw").isEqualTo(404);
        }
        assertThat(approve(kept, 0, eraser).status()).as("nothing to approve").isEqualTo(409);
        assertThat(approve(restricted, 0, eraser).status()).isEqualTo(404);

        assertThat(app.footprint()).isEqualTo(before);
        assertThat(app.get("/api/v1/cases/" + kept, worker).status()).isEqualTo(200);
        erase(kept, "order").expect(200);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", eraser, erasure("order")).status()).as("erased once").isEqualTo(404);
    }

    @Test
    void noAdministratorErasesAlone() {
        String kept = newCase("Invented Protected");
        long proposal = propose(kept, "Invented court order", eraser);
        JsonNode pending = app.get("/api/v1/cases/" + kept + "/erasure", approver).expect(200).json();
        assertThat(pending.get("proposal").asLong()).isEqualTo(proposal);
        assertThat(pending.get("reason").asText()).isEqualTo("Invented court order");
        assertThat(pending.get("proposedBy").get("username").asText()).isEqualTo("eraser");
        assertThat(pending.get("erasesEvidenceIds")).as("a case without evidence").isEmpty();
        assertThat(pending.get("unlinksEvidenceIds")).isEmpty();
        assertThat(app.get("/api/v1/cases/" + kept + "/erasure", worker).status()).as("a case worker").isEqualTo(403);
        assertThat(app.get("/api/v1/cases/" + kept + "/erasure", app.adminToken()).status()).as("an administrator who may not edit cases")
                .isEqualTo(403);
        List<Long> before = app.footprint();

        Reply own = approve(kept, proposal, eraser);
        assertThat(own.status()).as("approving one's own proposal").isEqualTo(403);
        assertThat(own.json().get("detail").asText()).contains("another administrator");
        assertThat(approve(kept, proposal + 1, approver).status()).as("a proposal that is not the pending one").isEqualTo(409);
        assertThat(approve(kept, proposal, app.adminToken()).status()).isEqualTo(403);
        assertThat(approve(kept, proposal, worker).status()).isEqualTo(403);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure/approval", approver, "{}").status()).isEqualTo(422);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure/approval", approver, "{\"proposal\":\"first\"}").status()).isBetween(400, 422);
        assertThat(app.post("/api/v1/cases/" + kept + "/erasure", approver, erasure("another order")).status()).as("one proposal at a time")
                .isEqualTo(409);
        assertThat(app.footprint()).as("refusals write nothing").isEqualTo(before);

        Reply withdrawn = app.delete("/api/v1/cases/" + kept + "/erasure", approver);
        assertThat(withdrawn.status()).isEqualTo(204);
        assertThat(app.get("/api/v1/cases/" + kept + "/erasure", eraser).status()).isEqualTo(404);
        assertThat(approve(kept, proposal, approver).status()).as("withdrawn").isEqualTo(409);
        JsonNode accessLog = app.get("/api/v1/cases/" + kept + "/access-log", app.adminToken()).json().get("items");
        assertThat(accessLog).extracting(item -> item.get("entry").get("action").asText())
                .contains("case.erasure_proposed", "case.erasure_withdrawn");
        assertThat(app.get("/api/v1/cases/" + kept + "/history", worker).json().get("items"))
                .extracting(item -> item.get("entry").get("action").asText()).doesNotContain("case.erasure_proposed", "case.erasure_withdrawn");

        long again = propose(kept, "Invented court order, upheld", approver);
        assertThat(approve(kept, again, approver).status()).isEqualTo(403);
        Reply erased = approve(kept, again, eraser);
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.json().get("reason").asText()).isEqualTo("Invented court order, upheld");
        assertThat(erased.json().get("proposal").asLong()).isEqualTo(again);
        assertThat(app.get("/api/v1/cases/" + kept, worker).status()).isEqualTo(404);
        assertThat(app.verifyLog().problems()).isEmpty();
    }

    /** The proposals of the cases in {@code caseIds} that {@code token}'s list of pending erasures shows, in its order. */
    private List<JsonNode> listed(String token, List<String> caseIds) {
        List<JsonNode> listed = new java.util.ArrayList<>();
        app.get("/api/v1/erasure-proposals?size=200", token).expect(200).json().get("items").forEach(item -> {
            if (caseIds.contains(item.get("caseId").asText())) {
                listed.add(item);
            }
        });
        return listed;
    }

    @Test
    void aSecondAdministratorFindsTheProposalsWaitingForThem() {
        String first = newCase("Invented First Listed");
        String second = newCase("Invented Second Listed");
        String restricted = newCase("Invented Restricted Listed");
        app.put("/api/v1/cases/" + restricted + "/restriction", app.adminToken(), "{\"restricted\":true,\"reason\":\"invented risk\"}").expect(200);
        app.post("/api/v1/cases/" + restricted + "/grants", app.adminToken(), TestApp.json("userId", app.userId(eraser), "reason", "Invented assignment"))
                .expect(201);
        List<String> ours = List.of(first, second, restricted);
        long firstProposal = propose(first, "Invented court order 1/2026", eraser);
        long secondProposal = propose(second, "Invented court order 2/2026", approver);
        long restrictedProposal = propose(restricted, "Invented court order 3/2026", eraser);

        List<JsonNode> forApprover = listed(approver, ours);
        assertThat(forApprover).as("oldest first; not the restricted case, which the approver may not see")
                .extracting(item -> item.get("proposal").asLong()).containsExactly(firstProposal, secondProposal);
        JsonNode item = forApprover.get(0);
        assertThat(item.get("caseReference").asText()).isEqualTo(app.get("/api/v1/cases/" + first, worker).json().get("reference").asText());
        assertThat(item.get("reason").asText()).isEqualTo("Invented court order 1/2026");
        assertThat(item.get("proposedBy").get("username").asText()).isEqualTo("eraser");
        assertThat(java.time.Instant.parse(item.get("expiresAt").asText())).isAfter(java.time.Instant.parse(item.get("proposedAt").asText()));
        assertThat(listed(eraser, ours)).extracting(listedItem -> listedItem.get("proposal").asLong())
                .containsExactly(firstProposal, secondProposal, restrictedProposal);
        JsonNode onePage = app.get("/api/v1/erasure-proposals?page=0&size=1", approver).expect(200).json();
        assertThat(onePage.get("items")).hasSize(1);
        assertThat(onePage.get("total").asLong()).isGreaterThanOrEqualTo(2);

        assertThat(app.get("/api/v1/erasure-proposals", worker).status()).as("a case worker").isEqualTo(403);
        assertThat(app.get("/api/v1/erasure-proposals", lawyer).status()).isEqualTo(403);
        assertThat(app.get("/api/v1/erasure-proposals", app.adminToken()).status()).as("an administrator who may not edit cases").isEqualTo(403);
        assertThat(app.get("/api/v1/erasure-proposals", null).status()).isEqualTo(401);
        Reply badPage = app.get("/api/v1/erasure-proposals?size=0", approver);
        assertThat(badPage.status()).isBetween(400, 422);
        assertThat(badPage.header("Content-Type")).startsWith("application/problem+json");
        assertThat(app.verifyLog().problems()).as("the pending proposals agree with the log").isEmpty();

        app.delete("/api/v1/cases/" + first + "/erasure", approver).expect(204);
        approve(second, secondProposal, eraser).expect(200);
        assertThat(listed(approver, ours)).as("withdrawn and approved: no longer waiting").isEmpty();
        app.delete("/api/v1/cases/" + restricted + "/erasure", eraser).expect(204);
        assertThat(listed(eraser, ours)).isEmpty();
        assertThat(app.verifyLog().problems()).isEmpty();
    }

    @Test
    void anExpiredProposalCannotBeApproved() throws Exception {
        try (TestApp brief = TestApp.start(database(), ConfigOverride.config("erasure.approvalWindow", "3s"))) {
            String caseWorker = brief.userWithRoles("worker", "CASE_WORKER");
            String first = brief.userWithRoles("eraser", "ADMIN,CASE_WORKER");
            String second = brief.userWithRoles("approver", "ADMIN,CASE_WORKER");
            String caseId = brief.post("/api/v1/cases", caseWorker, "{\"person\":{\"fullName\":\"Invented Late\"},\"category\":\"UNKNOWN\"}")
                    .expect(201).json().get("id").asText();
            JsonNode proposed = brief.post("/api/v1/cases/" + caseId + "/erasure", first, erasure("Invented order")).expect(202).json();
            assertThat(java.time.Duration.between(java.time.Instant.parse(proposed.get("proposedAt").asText()),
                    java.time.Instant.parse(proposed.get("expiresAt").asText()))).isEqualTo(java.time.Duration.ofSeconds(3));
            assertThat(brief.get("/api/v1/erasure-proposals", second).json().get("total").asLong()).isEqualTo(1);
            Thread.sleep(3_200); // the window is long enough that the second proposal below is approved within it on a busy machine
            assertThat(brief.get("/api/v1/erasure-proposals", second).json().get("total").asLong()).as("expired: no longer listed").isZero();
            List<Long> before = brief.footprint();
            Reply late = brief.post("/api/v1/cases/" + caseId + "/erasure/approval", second, "{\"proposal\":" + proposed.get("proposal").asLong() + "}");
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().get("detail").asText()).contains("expired");
            assertThat(brief.get("/api/v1/cases/" + caseId + "/erasure", second).status()).as("no longer pending").isEqualTo(404);
            assertThat(brief.footprint()).isEqualTo(before);
            assertThat(brief.get("/api/v1/cases/" + caseId, caseWorker).status()).isEqualTo(200);
            // proposed again, approved in time
            long again = brief.post("/api/v1/cases/" + caseId + "/erasure", first, erasure("Invented order")).expect(202).json().get("proposal").asLong();
            brief.post("/api/v1/cases/" + caseId + "/erasure/approval", second, "{\"proposal\":" + again + "}").expect(200);
            assertThat(brief.verifyLog().problems()).isEmpty();
        }
    }
}
