package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;

/**
 * Random and malformed input at every write endpoint, on H2 and on PostgreSQL. Whatever comes in, the answer is a
 * well-formed problem+json 4xx or the endpoint's success, never a 5xx; a refused request writes nothing; and text that
 * looks like SQL or script is stored and returned verbatim.
 */
class HostileInputProperties {
    private static final Map<TestDatabase.Kind, Fixture> FIXTURES = new EnumMap<>(TestDatabase.Kind.class);

    /** One running service with a case, an evidence item and tokens for each role. */
    private record Fixture(TestApp app, String worker, String admin, String eraser, String proposer, String caseId, String evidenceId, String userId) {}

    /** A request: which endpoint (a template naming the caller and the path), the body's bytes and its media type. */
    /** {@code coding}: null for a plain body, "gzip" for one sent compressed, any other a coding the body is marked with but not in. */
    record Attempt(Endpoint endpoint, String pathParameter, byte[] body, String contentType, String text, String coding) {
        @Override
        public String toString() {
            return endpoint + " " + pathParameter + " [" + contentType + (coding == null ? "" : ", " + coding) + "] "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
    }

    enum Endpoint {
        CREATE_CASE("POST", "/api/v1/cases", false), EDIT_CASE("PATCH", "/api/v1/cases/{case}", false),
        STATUS_CHANGE("POST", "/api/v1/cases/{case}/status-changes", false), ADD_EVIDENCE("POST", "/api/v1/evidence", false),
        EDIT_EVIDENCE("PATCH", "/api/v1/evidence/{evidence}", false), LINK_EVIDENCE("POST", "/api/v1/evidence/{evidence}/cases", false),
        UNLINK_EVIDENCE("DELETE", "/api/v1/evidence/{evidence}/cases/{case}", false),
        CUSTODY_EVENT("POST", "/api/v1/evidence/{evidence}/custody-events", false), EXPORT("POST", "/api/v1/exports", false),
        SIGN_IN("POST", "/api/v1/sessions", false), CREATE_USER("POST", "/api/v1/users", true), EDIT_USER("PATCH", "/api/v1/users/{user}", true),
        GRANT("POST", "/api/v1/cases/{case}/grants", true), RESTRICT("PUT", "/api/v1/cases/{case}/restriction", true),
        CHANGE_PASSWORD("PUT", "/api/v1/users/me/password", false), CONFIRM_TOTP("POST", "/api/v1/users/me/totp/confirmation", false),
        // by an administrator who is also a case worker, of a case made for the attempt; approving and withdrawing, of a
        // case made for the attempt whose erasure another such administrator proposed (an accepted approval erases it)
        PROPOSE_ERASURE("POST", "/api/v1/cases/{erasable}/erasure", true), APPROVE_ERASURE("POST", "/api/v1/cases/{erasable}/erasure/approval", true),
        WITHDRAW_ERASURE("DELETE", "/api/v1/cases/{erasable}/erasure", true);

        boolean erasure() {
            return this == PROPOSE_ERASURE || this == APPROVE_ERASURE || this == WITHDRAW_ERASURE;
        }

        final String method;
        final String path;
        final boolean admin;

        Endpoint(String method, String path, boolean admin) {
            this.method = method;
            this.path = path;
            this.admin = admin;
        }
    }

    @Property(tries = 150)
    void onH2EveryWriteEndpointAnswersHostileInputWithoutA5xxAndRefusalsWriteNothing(@ForAll("attempts") Attempt attempt) throws Exception {
        check(TestDatabase.Kind.H2, attempt);
    }

    @Property(tries = 150)
    void onPostgresEveryWriteEndpointAnswersHostileInputWithoutA5xxAndRefusalsWriteNothing(@ForAll("attempts") Attempt attempt) throws Exception {
        check(TestDatabase.Kind.POSTGRES, attempt);
    }

    /** What the accepted requests wrote still verifies: the tables match the log they committed with. */
    @AfterContainer
    static void stop() {
        try {
            FIXTURES.forEach((kind, fixture) -> assertThat(fixture.app().verifyLog().problems()).as("verify-log on %s after the property", kind).isEmpty());
        } finally {
            FIXTURES.values().forEach(fixture -> fixture.app().close());
            FIXTURES.clear();
        }
    }

    private static void check(TestDatabase.Kind kind, Attempt attempt) throws java.io.IOException {
        Fixture fixture = FIXTURES.computeIfAbsent(kind, HostileInputProperties::start);
        TestApp app = fixture.app();
        String erasable = !attempt.endpoint().erasure() || attempt.pathParameter() != null ? attempt.pathParameter()
                : app.post("/api/v1/cases", fixture.worker(), "{\"person\":{\"fullName\":\"Invented Erasable\"},\"category\":\"UNKNOWN\"}")
                        .expect(201).json().get("id").asText();
        long proposal = -1;
        if (attempt.endpoint().erasure() && attempt.endpoint() != Endpoint.PROPOSE_ERASURE && attempt.pathParameter() == null) {
            proposal = app.post("/api/v1/cases/" + erasable + "/erasure", fixture.proposer(), TestApp.json("reason", "Invented court order"))
                    .expect(202).json().get("proposal").asLong();
        }
        String path = attempt.endpoint().path.replace("{erasable}", String.valueOf(erasable)).replace("{case}", attempt.pathParameter() != null ? attempt.pathParameter() : fixture.caseId())
                .replace("{evidence}", attempt.pathParameter() != null ? attempt.pathParameter() : fixture.evidenceId())
                .replace("{user}", attempt.pathParameter() != null ? attempt.pathParameter() : fixture.userId());
        byte[] body = attempt.text() == null ? attempt.body() : attempt.endpoint() == Endpoint.APPROVE_ERASURE
                ? ("{\"proposal\":" + proposal + "}").getBytes(StandardCharsets.UTF_8) : wellFormed(attempt.endpoint(), attempt.text(), fixture);
        List<Long> before = app.footprint();
        String caller = attempt.endpoint().erasure() ? fixture.eraser() : attempt.endpoint().admin ? fixture.admin() : fixture.worker();
        HttpRequest.Builder request = app.request(path, caller)
                .method(attempt.endpoint().method, HttpRequest.BodyPublishers.ofByteArray("gzip".equals(attempt.coding()) ? TestApp.gzip(body) : body))
                .header("Content-Type", attempt.contentType());
        if (attempt.coding() != null) {
            request.header("Content-Encoding", attempt.coding());
        }
        if (attempt.endpoint().method.equals("PATCH")) {
            request.header("If-Match", "\"1\"");
        }
        Reply reply = app.send(request);
        assertThat(reply.status()).as("%s → %s", attempt, reply).isBetween(200, 499);
        if (attempt.coding() != null && !attempt.coding().equals("gzip") && !refusedByJetty(attempt.pathParameter())) {
            assertThat(reply.status()).as("%s → %s: a body in a coding not decoded here is not read as plain", attempt, reply).isIn(413, 415);
        }
        if (reply.status() >= 400) {
            assertThat(reply.header("Content-Type")).as("%s → %s", attempt, reply).isEqualTo("application/problem+json");
            assertThat(reply.json().get("status").asInt()).isEqualTo(reply.status());
            assertThat(reply.body()).doesNotContain("Exception").doesNotContain("SELECT ").doesNotContain("org.");
            List<Long> after = app.footprint();
            if (attempt.endpoint() == Endpoint.SIGN_IN && (reply.status() == 401 || reply.status() == 429)) {
                // a failed sign-in is itself recorded (auth.sign_in_failed), by design; nothing else is written. A refusal
                // by the throttle is recorded at most once a second (README, "Floods of sign-ins"), so it may write nothing
                assertThat(after.subList(2, after.size())).isEqualTo(before.subList(2, before.size()));
                if (reply.status() == 401 || after.get(0) > before.get(0)) {
                    assertThat(after.get(0)).isEqualTo(before.get(0) + 1);
                    assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry WHERE idx = " + before.get(0) + " AND action = 'auth.sign_in_failed'")).isOne();
                } else {
                    assertThat(after).as("%s was throttled within a second of the last recorded refusal", attempt).isEqualTo(before);
                }
            } else {
                assertThat(after).as("%s was refused and wrote nothing", attempt).isEqualTo(before);
            }
        } else if (attempt.endpoint() == Endpoint.CREATE_CASE && attempt.text() != null) {
            String sent = TestApp.MAPPER.readTree(body).get("person").get("fullName").asText();
            String id = reply.json().get("id").asText();
            String stored = app.get("/api/v1/cases/" + id, fixture.worker()).json().get("person").get("fullName").asText();
            assertThat(stored.codePoints().toArray()).as("stored verbatim").isEqualTo(sent.codePoints().toArray());
        }
    }

    private static Fixture start(TestDatabase.Kind kind) {
        TestApp app = TestApp.start(kind);
        String worker = app.userWithRoles("hostile.worker", "CASE_WORKER");
        String caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}").json().get("id").asText();
        String evidenceId = app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"caseIds\":[\"" + caseId + "\"]}")
                .json().get("id").asText();
        return new Fixture(app, worker, app.adminToken(), app.userWithRoles("hostile.eraser", "ADMIN,CASE_WORKER"),
                app.userWithRoles("hostile.proposer", "ADMIN,CASE_WORKER"), caseId, evidenceId, app.userId(worker));
    }

    @Provide
    Arbitrary<Attempt> attempts() {
        Arbitrary<Endpoint> endpoints = Arbitraries.of(Endpoint.class);
        Arbitrary<String> pathParameters = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just(null), Arbitraries.just(null),
                Arbitraries.of("not-a-uuid", "00000000-0000-0000-0000-000000000000", "../../etc", "\u0000", "1 OR 1=1", "'; DROP TABLE cases; --")
                        .map(parameter -> java.net.URLEncoder.encode(parameter, StandardCharsets.UTF_8).replace("+", "%20")));
        Arbitrary<String> contentTypes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("text/plain", "application/xml", "application/merge-patch+json", "multipart/form-data; boundary=x",
                        "application/json; charset=latin1")));
        Arbitrary<String> hostileText = Arbitraries.oneOf(
                Arbitraries.of("'; DROP TABLE cases; --", "\" OR \"1\"=\"1", "<script>alert(1)</script>", "${jndi:ldap://invented.example/a}",
                        "{{7*7}}", "%s%s%n", "Robert'); DELETE FROM log_entry;--", "\u202Eevil", "null", "\\u0000"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().alpha().ofLength(20_000));
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(500).map(text -> text.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.of("{", "[]", "null", "1e999999999", "{\"person\":{\"fullName\":1}}", "{\"caseIds\":\"x\"}", "{\"status\":[[[]]]}",
                        "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}", "{\"sizeBytes\":123456789012345678901234567890}",
                        "{\"person\":{\"fullName\":\"x\"},\"person\":{\"fullName\":\"y\"},\"category\":\"UNKNOWN\"}", "\"\\ud800\"")
                        .map(text -> text.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                Arbitraries.just(("{\"person\":{\"fullName\":\"" + "x".repeat(1_100_000) + "\"},\"category\":\"UNKNOWN\"}").getBytes(StandardCharsets.UTF_8)));
        Arbitrary<String> codings = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(null)), net.jqwik.api.Tuple.of(2, Arbitraries.just("gzip")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("br", "deflate")));
        return Combinators.combine(endpoints, pathParameters, bodies, contentTypes, hostileText.injectNull(0.5), codings).as((endpoint, parameter, body, type, text, coding) ->
                text == null ? new Attempt(endpoint, parameter, body, type, null, coding) : new Attempt(endpoint, parameter, new byte[0], "application/json", text, coding))
                // Jetty refuses a path with an encoded NUL or slash before it reads the body, and closes the connection:
                // a client still sending an unannounced body beyond what Jetty read with the head (its input buffer is
                // 8 KiB) may see a reset instead of the 400 (README, "Operations"). Each half is drawn here on its own;
                // BadInputContract checks the pair as a client that announces its body (Expect: 100-continue) sends it.
                .filter(attempt -> !(refusedByJetty(attempt.pathParameter()) && largerThanAFewKilobytes(attempt)));
    }

    /** Path parameters are drawn URL-encoded: Jetty's URI compliance refuses "%00" and "%2F" (an ambiguous separator). */
    private static boolean refusedByJetty(String pathParameter) {
        return pathParameter != null && (pathParameter.contains("%00") || pathParameter.contains("%2F"));
    }

    /** The body's size, or for a well-formed body its hostile text's, which fills up to four fields. */
    private static boolean largerThanAFewKilobytes(Attempt attempt) {
        return attempt.text() == null ? attempt.body().length > 4_096 : attempt.text().length() > 1_000;
    }

    /** The endpoint's usual request with {@code text} in each of its text fields. */
    private static byte[] wellFormed(Endpoint endpoint, String text, Fixture fixture) {
        com.fasterxml.jackson.databind.node.ObjectNode body = TestApp.MAPPER.createObjectNode();
        switch (endpoint) {
            case CREATE_CASE -> {
                body.putObject("person").put("fullName", text).put("originalScriptName", text);
                body.put("category", "UNKNOWN").put("summary", text);
            }
            case EDIT_CASE -> body.put("summary", text).put("reason", text);
            case STATUS_CHANGE -> body.put("status", "DETENTION_CONFIRMED").put("effectiveDate", "2021").put("reason", text);
            case ADD_EVIDENCE -> body.put("kind", "TESTIMONY").put("title", text).put("description", text).putArray("caseIds").add(fixture.caseId());
            case EDIT_EVIDENCE -> body.put("title", text).put("description", text);
            case LINK_EVIDENCE -> body.put("caseId", fixture.caseId());
            case UNLINK_EVIDENCE -> body.put("reason", text);
            case CUSTODY_EVENT -> body.put("action", "RECEIVED").put("performedAt", withDigits(Instant.parse("2021-01-05T09:30:00Z"), text).toString())
                    .put("note", text);
            case EXPORT -> body.put("purpose", text).putArray("caseIds").add(fixture.caseId());
            case SIGN_IN -> body.put("username", text).put("password", text);
            case CREATE_USER -> body.put("username", text).put("displayName", text).put("password", text).putArray("roles").add("LAWYER");
            case EDIT_USER -> body.put("displayName", text);
            case GRANT -> body.put("userId", fixture.userId()).put("expiresAt", withDigits(Instant.parse("2031-01-05T09:30:00Z"), text).toString())
                    .put("reason", text);
            case RESTRICT -> body.put("restricted", false).put("reason", text);
            case CHANGE_PASSWORD -> body.put("currentPassword", text).put("newPassword", text);
            case CONFIRM_TOTP -> body.put("code", text);
            case PROPOSE_ERASURE -> body.put("reason", text);
            case APPROVE_ERASURE, WITHDRAW_ERASURE -> {
                // an approval names the proposal (check), a withdrawal has no body
            }
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code at} with up to nine fractional digits, as a client may send a time (chosen by {@code text}, so shrinkable with it). */
    private static Instant withDigits(Instant at, String text) {
        return at.plusNanos(Math.floorMod(text.hashCode(), 1_000_000_000) / (long) Math.pow(1000, Math.floorMod(text.length(), 4)));
    }
}
