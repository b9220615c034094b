package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What verify-log makes of sign-ins, sessions and credential changes, entry by entry. The entries of a damaged or
 * forged log can hold anything where a session id, a time or a count should be: each must come out as a finding or
 * nothing, never as an exception that stops the check.
 */
class SignInStateProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String USER = "0190f5a0-0000-7000-8000-000000000001";
    private static final List<String> ACTIONS = List.of("auth.signed_in", "auth.signed_out", "auth.session_revoked", "user.password_reset",
            "user.password_changed", "user.totp_enabled", "user.totp_enrolment_started", "user.totp_reset", "user.updated", "user.created");
    private static final List<String> MEMBERS = List.of("sessionId", "expiresAt", "scope", "tokenDigest", "expiredSessionsEnded", "sessionsEnded",
            "credentialsDigest", "user");

    @Property(tries = 2_000)
    void anyPayloadIsFollowedOrReportedNeverThrown(@ForAll("entries") List<Entry> entries) {
        SignInState state = new SignInState(MAPPER);
        for (Entry entry : entries) {
            String problem = state.follow(entry.action(), entry.subjectId(), entry.time(), entry.payload());
            assertThat(problem == null || !problem.isBlank()).isTrue();
        }
    }

    record Entry(String action, String subjectId, String time, JsonNode payload) {}

    @Provide
    Arbitrary<List<Entry>> entries() {
        Arbitrary<JsonNode> values = Arbitraries.of(NODES.nullNode(), NODES.textNode("2026-12-04T03:00:00Z"), NODES.textNode("not a time"),
                NODES.textNode("s-1"), NODES.textNode(""), NODES.numberNode(1.5), NODES.numberNode(-1), NODES.numberNode(2),
                NODES.numberNode(new BigInteger("123456789012345678901234567890")), NODES.booleanNode(false), NODES.arrayNode().add(1),
                NODES.objectNode().put("active", false), NODES.objectNode().put("active", "no"));
        Arbitrary<JsonNode> payloads = Arbitraries.oneOf(
                Arbitraries.just(NODES.arrayNode()),
                Arbitraries.just(NODES.textNode("a payload that is a string")),
                Arbitraries.of(MEMBERS).list().ofMaxSize(8).flatMap(names -> values.list().ofSize(names.size()).map(chosen -> {
                    ObjectNode payload = NODES.objectNode();
                    for (int i = 0; i < names.size(); i++) {
                        payload.set(names.get(i), chosen.get(i));
                    }
                    return payload;
                })));
        Arbitrary<Entry> entry = net.jqwik.api.Combinators.combine(Arbitraries.of(ACTIONS), Arbitraries.of(USER, "not-a-user", ""),
                Arbitraries.of("2026-12-04T03:00:00Z", "2026-12-05T03:00:00.123Z", "yesterday"), payloads.injectNull(0.1)).as(Entry::new);
        return entry.list().ofMaxSize(20);
    }

    @Example
    void anEntryThatEndsMoreSessionsThanTheLogOpenedIsReported() {
        SignInState state = new SignInState(MAPPER);
        assertThat(state.follow("auth.signed_in", USER, "2026-12-04T03:00:00Z", signIn("s-1", "2026-12-04T15:00:00Z", 0))).isNull();
        assertThat(state.follow("user.password_changed", USER, "2026-12-04T04:00:00Z", NODES.objectNode().put("sessionsEnded", 2)))
                .isEqualTo("ends 2 sessions of user " + USER + ", the log has 1 open");
        assertThat(state.sessions).isEmpty();
    }

    @Example
    void aSignInRemovesItsUsersSessionsPastTheirLifetimeAsOfItsOwnTime() {
        SignInState state = new SignInState(MAPPER);
        state.follow("auth.signed_in", USER, "2026-12-04T03:00:00Z", signIn("s-1", "2026-12-04T15:00:00Z", 0));
        state.follow("auth.signed_in", USER, "2026-12-04T10:00:00Z", signIn("s-2", "2026-12-04T22:00:00Z", 0));
        assertThat(state.follow("auth.signed_in", USER, "2026-12-04T15:00:00Z", signIn("s-3", "2026-12-05T03:00:00Z", 1)))
                .as("s-1 ends at 15:00 exactly, when it stops signing anyone in").isNull();
        assertThat(state.sessions.keySet()).containsExactlyInAnyOrder("s-2", "s-3");
        assertThat(state.follow("auth.signed_in", USER, "2026-12-04T16:00:00Z", signIn("s-4", "2026-12-05T04:00:00Z", 1)))
                .isEqualTo("ends 1 expired sessions of user " + USER + ", the log has 0 expired and open");
    }

    @Example
    void aRevocationOfASessionTheLogNeverOpenedIsReportedAndASignOutIsNot() {
        SignInState state = new SignInState(MAPPER);
        assertThat(state.follow("auth.signed_out", USER, "2026-12-04T03:00:00Z", NODES.objectNode().put("sessionId", "s-9"))).isNull();
        assertThat(state.follow("auth.session_revoked", USER, "2026-12-04T03:00:00Z", NODES.objectNode().put("sessionId", "s-9")))
                .isEqualTo("revokes session s-9, which the log has not open for user " + USER);
    }

    private static ObjectNode signIn(String sessionId, String expiresAt, int expiredEnded) {
        return NODES.objectNode().put("sessionId", sessionId).put("expiresAt", expiresAt).put("scope", "FULL").put("tokenDigest", "t")
                .put("expiredSessionsEnded", expiredEnded);
    }
}
