package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The two-person rule as verify-log judges it, from the entries' actions, subjects, actors and times. */
class ErasureProposalsTest {
    private static final String CASE = "0190f0a0-0000-7000-8000-000000000001";
    private static final String ALICE = "0190f0a0-0000-7000-8000-00000000000a";
    private static final String BOB = "0190f0a0-0000-7000-8000-00000000000b";
    private static final String EXPIRES = "2026-12-12T10:00:00.000Z";

    private final ErasureProposals proposals = new ErasureProposals();

    private static JsonNode erasure(long proposal, String proposedBy) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("caseId", CASE).put("proposal", proposal).put("proposedBy", proposedBy)
                .put("proposalExpiresAt", EXPIRES);
        return payload;
    }

    @Test
    void anErasureApprovingTheCasesPendingProposalByAnotherAdministratorPasses() {
        assertThat(proposals.follow(3, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null)).isEmpty();
        assertThat(proposals.follow(9, "case.erased", CASE, BOB, "2026-12-06T10:00:00.000Z", erasure(3, ALICE))).isEmpty();
    }

    @Test
    void theProposerApprovingIsReported() {
        proposals.follow(3, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        assertThat(proposals.follow(9, "case.erased", CASE, ALICE, "2026-12-06T10:00:00.000Z", erasure(3, ALICE)))
                .containsExactly("index 9: erasure approved by the administrator who proposed it (" + ALICE + ")");
    }

    @Test
    void aProposerMisnamedIsReported() {
        proposals.follow(3, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        assertThat(proposals.follow(9, "case.erased", CASE, ALICE, "2026-12-06T10:00:00.000Z", erasure(3, BOB))).containsExactly(
                "index 9: says proposal 3 was made by " + BOB + ", but entry 3 was made by " + ALICE,
                "index 9: erasure approved by the administrator who proposed it (" + ALICE + ")");
    }

    @Test
    void anErasureWithoutAProposalOrAfterItsWithdrawalIsReported() {
        assertThat(proposals.follow(9, "case.erased", CASE, BOB, "2026-12-06T10:00:00.000Z", erasure(3, ALICE)))
                .containsExactly("index 9: erases case " + CASE + " approving proposal 3, but the pending proposal of the case is none");
        proposals.follow(10, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        assertThat(proposals.follow(11, "case.erasure_withdrawn", CASE, BOB, "2026-12-05T11:00:00.000Z",
                JsonNodeFactory.instance.objectNode().put("caseId", CASE).put("proposal", 10))).isEmpty();
        assertThat(proposals.follow(12, "case.erased", CASE, BOB, "2026-12-06T10:00:00.000Z", erasure(10, ALICE)))
                .containsExactly("index 12: erases case " + CASE + " approving proposal 10, but the pending proposal of the case is none");
    }

    @Test
    void anErasureNamingNoProposalIsReported() {
        proposals.follow(3, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        ObjectNode payload = (ObjectNode) erasure(3, ALICE);
        payload.remove("proposal");
        assertThat(proposals.follow(9, "case.erased", CASE, BOB, "2026-12-06T10:00:00.000Z", payload))
                .containsExactly("index 9: erases case " + CASE + " without naming the proposal it approves");
    }

    @Test
    void anErasureApprovingAReplacedProposalIsReported() {
        proposals.follow(3, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        proposals.follow(4, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        assertThat(proposals.follow(9, "case.erased", CASE, BOB, "2026-12-06T10:00:00.000Z", erasure(3, ALICE)))
                .containsExactly("index 9: erases case " + CASE + " approving proposal 3, but the pending proposal of the case is entry 4");
    }

    @Test
    void anApprovalAtOrAfterExpiryIsReported() {
        proposals.follow(3, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        assertThat(proposals.follow(9, "case.erased", CASE, BOB, EXPIRES, erasure(3, ALICE)))
                .containsExactly("index 9: erasure approved at " + EXPIRES + ", not before its proposal expired (" + EXPIRES + ")");
    }

    @Test
    void aWithdrawalOfNoPendingProposalIsReported() {
        assertThat(proposals.follow(5, "case.erasure_withdrawn", CASE, BOB, "2026-12-05T11:00:00.000Z", null))
                .containsExactly("index 5: withdraws a proposal of case " + CASE + ", but the pending proposal of the case is none");
        proposals.follow(6, "case.erasure_proposed", CASE, ALICE, "2026-12-05T10:00:00.000Z", null);
        assertThat(proposals.follow(7, "case.erasure_withdrawn", CASE, BOB, "2026-12-05T11:00:00.000Z",
                JsonNodeFactory.instance.objectNode().put("caseId", CASE).put("proposal", 2)))
                .containsExactly("index 7: withdraws proposal 2 of case " + CASE + ", but the pending proposal of the case is entry 6");
    }
}
