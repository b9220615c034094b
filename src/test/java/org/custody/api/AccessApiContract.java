package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.security.SecureRandom;
import java.util.UUID;
import org.custody.access.PasswordHasher;
import org.custody.access.SecondFactorKey;
import org.custody.access.Totp;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TempDirectories;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Running the organisation's access through the API alone: users, grants, restricted cases, sessions, throttling,
 * second factors and the access log. Administrators must use a second factor here, as shipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessApiContract {
    static final String PASSWORD = TestApp.USER_PASSWORD;
    TestApp app;
    String admin;
    String worker;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database(), "test-config-as-shipped-auth.yml");
        admin = adminWithSecondFactor();
        worker = createUser("worker", "CASE_WORKER");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    /**
     * Every flow here (sign-ins, sign-outs, revocations, password changes and resets, second factors, deactivation)
     * leaves tables that verify-log finds as the log's entries say: the users' credentials as their digests, the sessions open.
     */
    @AfterEach
    void theTablesStillMatchTheLog() {
        assertThat(app.verifyLog().problems()).isEmpty();
    }

    /** The initial administrator's first day: change the one-time password, enrol an authenticator, sign in with it. */
    private String adminWithSecondFactor() {
        String oneTime = readInitialPassword();
        String limited = app.signIn("admin", oneTime);
        assertThat(app.get("/api/v1/users/me", limited).json().get("sessionScope").asText()).isEqualTo("CHANGE_PASSWORD");
        assertThat(app.get("/api/v1/users", limited).json().get("type").asText()).isEqualTo("/problems/session-scope");
        assertThat(app.put("/api/v1/users/me/password", limited, TestApp.json("currentPassword", oneTime, "newPassword", "admin")).status())
                .isEqualTo(422);
        assertThat(app.put("/api/v1/users/me/password", limited, TestApp.json("currentPassword", oneTime, "newPassword", TestApp.ADMIN_PASSWORD))
                .status()).isEqualTo(204);
        assertThat(app.get("/api/v1/users/me", limited).status()).as("a password change ends every session").isEqualTo(401);

        String enrolling = app.signIn("admin", TestApp.ADMIN_PASSWORD);
        assertThat(app.get("/api/v1/users", enrolling).status()).isEqualTo(403);
        Reply enrolment = app.post("/api/v1/users/me/totp", enrolling, null);
        assertThat(enrolment.status()).isEqualTo(201);
        assertThat(enrolment.json().get("otpauthUri").asText()).startsWith("otpauth://totp/").contains("secret=");
        byte[] secret = Totp.fromBase32(enrolment.json().get("secret").asText());
        assertThat(app.post("/api/v1/users/me/totp/confirmation", enrolling, TestApp.json("code", "000000")).status()).isIn(204, 422);
        Reply confirmed = app.post("/api/v1/users/me/totp/confirmation", enrolling, TestApp.json("code", code(secret, 0)));
        assertThat(confirmed.status()).isIn(204, 409);

        Reply withoutCode = app.post("/api/v1/sessions", null, TestApp.json("username", "admin", "password", TestApp.ADMIN_PASSWORD));
        assertThat(withoutCode.status()).isEqualTo(401);
        String nextCode = code(secret, 1);
        Reply signedIn = app.post("/api/v1/sessions", null, TestApp.json("username", "admin", "password", TestApp.ADMIN_PASSWORD,
                "totpCode", nextCode));
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(201);
        assertThat(signedIn.json().get("scope").asText()).isEqualTo("FULL");
        Reply replayed = app.post("/api/v1/sessions", null, TestApp.json("username", "admin", "password", TestApp.ADMIN_PASSWORD,
                "totpCode", nextCode));
        assertThat(replayed.status()).as("a code works once").isEqualTo(401);
        return signedIn.json().get("token").asText();
    }

    private static String code(byte[] secret, long stepsAhead) {
        return Totp.code(secret, Totp.step(Instant.now()) + stepsAhead, "HmacSHA1", 6);
    }

    /** The start read the one-time password from its file; the administrator's change through the API removed it. */
    @Test
    void theInitialPasswordFileWentWithTheAdministratorsFirstPasswordChange() {
        assertThat(app.dataDirectory().resolve("initial-admin-password")).doesNotExist();
    }

    private String readInitialPassword() {
        try {
            return java.nio.file.Files.readString(app.dataDirectory().resolve("initial-admin-password")).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String createUser(String username, String... roles) {
        Reply created = app.post("/api/v1/users", admin, "{\"username\":\"" + username + "\",\"displayName\":\"Invented " + username
                + "\",\"password\":\"" + TestApp.ONE_TIME_PASSWORD + "\",\"roles\":[\"" + String.join("\",\"", roles) + "\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return app.firstSignIn(username, TestApp.ONE_TIME_PASSWORD, PASSWORD);
    }

    private String createCase(String name) {
        Reply created = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"" + name + "\"},\"category\":\"PRISONER_OF_WAR\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private List<String> references(String token, String query) {
        List<String> ids = new ArrayList<>();
        app.get("/api/v1/cases" + query, token).json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void anAdministratorRunsAccessDayToDayThroughTheApi() {
        String first = createCase("Invented Grant One");
        String second = createCase("Invented Grant Two");
        String other = createCase("Invented Not Granted");
        String lawyer = createUser("lawyer.day", "LAWYER");
        String lawyerId = app.userId(lawyer);
        assertThat(references(lawyer, "")).isEmpty();

        // to the nanosecond, as a client may send it: kept to the millisecond like every stored time, in the table and
        // in the log alike (the log once kept all nine digits, the table six, and verify-log reported the difference)
        Instant inAMonthExactly = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789);
        String inAMonth = inAMonthExactly.toString();
        for (String caseId : List.of(first, second)) {
            Reply granted = app.post("/api/v1/cases/" + caseId + "/grants", admin, "{\"userId\":\"" + lawyerId + "\",\"expiresAt\":\"" + inAMonth + "\",\"reason\":\"  counsel for the family  \"}");
            assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
            assertThat(granted.header("Log-Index")).isNotNull();
        }
        JsonNode grants = app.get("/api/v1/cases/" + first + "/grants", admin).json();
        assertThat(grants).hasSize(1);
        assertThat(Instant.parse(grants.get(0).get("expiresAt").asText())).isEqualTo(inAMonthExactly.truncatedTo(ChronoUnit.MILLIS));
        assertThat(grants.get(0).get("reason").asText()).isEqualTo("counsel for the family");
        assertThat(references(lawyer, "")).containsExactlyInAnyOrder(first, second);
        assertThat(app.get("/api/v1/cases/" + first, lawyer).status()).isEqualTo(200);
        Reply hidden = app.get("/api/v1/cases/" + other, lawyer);
        Reply missing = app.get("/api/v1/cases/00000000-0000-4000-8000-000000000000", lawyer);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.body()).as("an ungranted case looks like no case").isEqualTo(missing.body());

        JsonNode accessLog = app.get("/api/v1/cases/" + first + "/access-log", admin).json();
        List<String> actions = new ArrayList<>();
        accessLog.get("items").forEach(item -> actions.add(item.get("entry").get("action").asText()));
        assertThat(actions).contains("case.grant_added", "case.viewed");
        accessLog.get("items").forEach(item -> {
            if (item.get("entry").get("action").asText().equals("case.grant_added")) {
                assertThat(item.get("payload").get("grant").get("reason").asText()).as("why the lawyer may see it").isEqualTo("counsel for the family");
            }
        });
        List<Long> beforeRefusals = app.footprint();
        for (String reason : List.of("", "\"\"", "\"   \"", "\"" + "x".repeat(2001) + "\"")) {
            String body = "{\"userId\":\"" + lawyerId + "\"" + (reason.isEmpty() ? "" : ",\"reason\":" + reason) + "}";
            Reply refused = app.post("/api/v1/cases/" + other + "/grants", admin, body);
            assertThat(refused.status()).as("a grant needs a reason: %s", body.length() > 100 ? "2001 characters" : body).isEqualTo(422);
            assertThat(refused.body()).contains("\"field\":\"reason\"");
        }
        assertThat(app.footprint()).as("a grant without a reason writes nothing").isEqualTo(beforeRefusals);
        JsonNode view = accessLog.get("items").get(0);
        assertThat(view.get("entry").get("action").asText()).isEqualTo("case.viewed");
        assertThat(view.get("entry").get("actor").get("id").asText()).isEqualTo(lawyerId);
        assertThat(view.get("payload").toString()).doesNotContain("Invented Grant One");
        assertThat(app.get("/api/v1/cases/" + first + "/history", worker).json().toString()).as("reads stay out of the history")
                .doesNotContain("case.viewed").doesNotContain("case.grant_added");
        assertThat(app.get("/api/v1/cases/" + first, admin).status()).as("managing access does not grant reading").isEqualTo(403);

        JsonNode held = app.get("/api/v1/users/me/grants", lawyer).json();
        assertThat(held).as("a lawyer sees which cases they were given and until when").hasSize(2);
        assertThat(List.of(held.get(0).get("caseId").asText(), held.get(1).get("caseId").asText())).containsExactlyInAnyOrder(first, second);
        assertThat(Instant.parse(held.get(0).get("expiresAt").asText())).isEqualTo(inAMonthExactly.truncatedTo(ChronoUnit.MILLIS));
        assertThat(app.get("/api/v1/users/" + lawyerId + "/grants", admin).json()).as("what an administrator reviews").isEqualTo(held);
        assertThat(app.get("/api/v1/users/" + lawyerId + "/grants", lawyer).status()).as("another's grants are the administrators'").isEqualTo(403);
        assertThat(app.get("/api/v1/users/00000000-0000-4000-8000-000000000000/grants", admin).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/users/me/grants", worker).json()).isEmpty();

        String revocation = "/api/v1/cases/" + second + "/grants/" + lawyerId;
        List<Long> beforeRevocation = app.footprint();
        assertThat(app.delete(revocation, admin, "{\"reason\":\"  \"}").status()).as("a reason, when given, says something").isEqualTo(422);
        assertThat(app.footprint()).isEqualTo(beforeRevocation);
        assertThat(app.delete(revocation, admin, "{\"reason\":\" the mandate ended \"}").status()).isEqualTo(204);
        assertThat(app.get("/api/v1/cases/" + second, lawyer).status()).isEqualTo(404);
        JsonNode removal = app.get("/api/v1/cases/" + second + "/access-log", admin).json().get("items").get(0);
        assertThat(removal.get("entry").get("action").asText()).isEqualTo("case.grant_removed");
        assertThat(removal.get("payload").get("reason").asText()).as("why the lawyer may no longer see it").isEqualTo("the mandate ended");
        assertThat(app.get("/api/v1/users/me/grants", lawyer).json()).as("a grant taken back is gone from the list").hasSize(1)
                .first().satisfies(grant -> assertThat(grant.get("caseId").asText()).isEqualTo(first));

        String departing = createUser("departing", "CASE_WORKER");
        String departingId = app.userId(departing);
        Reply locked = app.patch("/api/v1/users/" + departingId, admin, null, "{\"active\":false}");
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
        assertThat(locked.json().get("active").asBoolean()).isFalse();
        assertThat(app.get("/api/v1/cases", departing).status()).as("deactivation ends sessions at once").isEqualTo(401);
        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "departing", "password", PASSWORD)).status()).isEqualTo(401);
        assertThat(app.get("/api/v1/users/" + departingId + "/sessions", admin).json()).isEmpty();
    }

    /**
     * The password an administrator chose for a new account is known to them, so it works once, to change it: until then
     * the session reads nothing, and afterwards only the user's own password signs in, so an administrator who used it
     * first would have locked the user out of the account instead of reading as them unseen.
     */
    @Test
    void aPasswordChosenByAnAdministratorOnlyChangesItself() {
        String caseId = createCase("Invented First Day");
        Reply created = app.post("/api/v1/users", admin, "{\"username\":\"first.day\",\"displayName\":\"Invented First Day\",\"password\":\""
                + TestApp.ONE_TIME_PASSWORD + "\",\"roles\":[\"CASE_WORKER\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        String limited = app.signIn("first.day", TestApp.ONE_TIME_PASSWORD);
        assertThat(app.get("/api/v1/users/me", limited).json().get("sessionScope").asText()).isEqualTo("CHANGE_PASSWORD");
        long logSize = app.logSize();
        Reply refused = app.get("/api/v1/cases/" + caseId, limited);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("type").asText()).isEqualTo("/problems/session-scope");
        assertThat(app.get("/api/v1/cases", limited).status()).isEqualTo(403);
        assertThat(app.logSize()).as("nothing was read, so no read is recorded").isEqualTo(logSize);
        assertThat(app.put("/api/v1/users/me/password", limited,
                TestApp.json("currentPassword", TestApp.ONE_TIME_PASSWORD, "newPassword", TestApp.ONE_TIME_PASSWORD)).status())
                .as("the new password is the user's own, not the one chosen for them").isEqualTo(422);
        assertThat(app.put("/api/v1/users/me/password", limited,
                TestApp.json("currentPassword", TestApp.ONE_TIME_PASSWORD, "newPassword", "an invented first-day passphrase")).status())
                .isEqualTo(204);

        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "first.day", "password", TestApp.ONE_TIME_PASSWORD)).status())
                .as("the chosen password no longer signs in").isEqualTo(401);
        String own = app.signIn("first.day", "an invented first-day passphrase");
        assertThat(app.get("/api/v1/users/me", own).json().get("sessionScope").asText()).isEqualTo("FULL");
        assertThat(app.get("/api/v1/cases/" + caseId, own).status()).isEqualTo(200);
    }

    @Test
    void aRestrictedCaseIsHiddenFromCaseWorkersWithoutAGrant() {
        String restricted = createCase("Invented Restricted");
        String colleague = createUser("colleague", "CASE_WORKER");
        List<Long> unreasoned = app.footprint();
        for (String body : List.of("{\"restricted\":true}", "{\"restricted\":true,\"reason\":\" \"}")) {
            Reply refused = app.put("/api/v1/cases/" + restricted + "/restriction", admin, body);
            assertThat(refused.status()).as("the access log shows why: " + refused).isEqualTo(422);
            assertThat(refused.body()).contains("reason");
        }
        assertThat(app.footprint()).isEqualTo(unreasoned);
        Reply marked = app.put("/api/v1/cases/" + restricted + "/restriction", admin, "{\"restricted\":true,\"reason\":\"family at risk\"}");
        assertThat(marked.status()).as(marked.toString()).isEqualTo(200);
        assertThat(app.get("/api/v1/cases/" + restricted, colleague).status()).isEqualTo(404);
        assertThat(references(colleague, "?q=restricted")).isEmpty();
        List<Long> before = app.footprint();
        assertThat(app.post("/api/v1/cases/" + restricted + "/status-changes", colleague, "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\"}")
                .status()).isEqualTo(404);
        assertThat(app.post("/api/v1/evidence", colleague, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"obtainedFrom\":\"x\",\"caseIds\":[\""
                + restricted + "\"]}").status()).isEqualTo(422);
        assertThat(app.footprint()).as("refusals write nothing").isEqualTo(before);
        assertThat(app.post("/api/v1/cases/" + restricted + "/grants", admin, TestApp.json("userId", app.userId(colleague), "reason", "second reader")).status()).isEqualTo(201);
        assertThat(app.get("/api/v1/cases/" + restricted, colleague).json().get("restricted").asBoolean()).isTrue();
    }

    /**
     * A video can be registered, hash and all, before anyone in it is identified. Until it is linked, case workers see
     * it (it concerns no restricted case) and can link it; lawyers, who see only their granted cases' evidence, do not.
     * Linked to a restricted case only, it is hidden like that case.
     */
    @Test
    void evidenceLinkedToNoCaseYetIsForCaseWorkersToLink() {
        String colleague = createUser("registrar", "CASE_WORKER");
        String lawyer = createUser("lawyer.unlinked", "LAWYER");
        Reply added = app.post("/api/v1/evidence", worker, "{\"kind\":\"VIDEO\",\"title\":\"Invented clip\",\"sha256\":\"" + "ab".repeat(32) + "\"}")
                .expect(201);
        String evidence = "/api/v1/evidence/" + added.json().get("id").asText();
        assertThat(added.json().get("caseIds")).isEmpty();

        assertThat(app.get(evidence, colleague).expect(200).json().get("caseIds")).isEmpty();
        List<String> listed = new ArrayList<>();
        app.get("/api/v1/evidence?size=200", colleague).json().get("items").forEach(item -> listed.add(item.get("id").asText()));
        assertThat(listed).contains(added.json().get("id").asText());
        assertThat(app.get(evidence, lawyer).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/evidence?size=200", lawyer).json().get("total").asLong()).isZero();

        String restricted = createCase("Invented Identified In Clip");
        app.put("/api/v1/cases/" + restricted + "/restriction", admin, "{\"restricted\":true,\"reason\":\"family at risk\"}").expect(200);
        app.post("/api/v1/cases/" + restricted + "/grants", admin, TestApp.json("userId", app.userId(worker), "reason", "identified the man in the clip")).expect(201);
        assertThat(app.post(evidence + "/cases", worker, TestApp.json("caseId", restricted)).status()).isEqualTo(204);
        assertThat(app.get(evidence, worker).json().get("caseIds").toString()).isEqualTo("[\"" + restricted + "\"]");
        assertThat(app.get(evidence, colleague).status()).as("now it concerns a case the colleague may not see").isEqualTo(404);
    }

    /**
     * A token is taken from the Authorization header only: Dropwizard's filter also read the query parameter
     * access_token, and a URL is kept in proxies' logs and browsers' histories. Refused even beside a good header.
     */
    @Test
    void aTokenInTheUrlIsRefusedAndReadsNothing() {
        List<Long> before = app.footprint();
        for (String token : new String[] {null, worker}) {
            Reply reply = app.get("/api/v1/cases?access_token=" + worker, token);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(reply.body()).contains("Authorization: Bearer").doesNotContain(worker);
        }
        assertThat(app.footprint()).as("no read recorded").isEqualTo(before);
        assertThat(app.get("/api/v1/cases", worker).status()).isEqualTo(200);
    }

    @Test
    void aReadOfEvidenceGoesIntoTheAccessLogOfTheCasesTheReaderWasShownAndNoOther() {
        String open = createCase("Invented Open");
        String hidden = createCase("Invented Hidden");
        Reply evidence = app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"obtainedFrom\":\"x\",\"caseIds\":[\""
                + open + "\",\"" + hidden + "\"]}");
        assertThat(evidence.status()).as(evidence.toString()).isEqualTo(201);
        assertThat(app.put("/api/v1/cases/" + hidden + "/restriction", admin, "{\"restricted\":true,\"reason\":\"family at risk\"}").status())
                .isEqualTo(200);
        String reader = createUser("reader", "CASE_WORKER");

        Reply read = app.get("/api/v1/evidence/" + evidence.json().get("id").asText(), reader);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("caseIds")).hasSize(1);
        String readerId = app.userId(reader);
        JsonNode openLog = app.get("/api/v1/cases/" + open + "/access-log", admin).json();
        List<JsonNode> readsOfOpen = new ArrayList<>();
        openLog.get("items").forEach(item -> {
            if (item.get("entry").get("action").asText().equals("evidence.viewed") && item.get("entry").get("actor").get("id").asText().equals(readerId)) {
                readsOfOpen.add(item);
            }
        });
        assertThat(readsOfOpen).hasSize(1);
        assertThat(readsOfOpen.get(0).get("payload").get("caseIds").toString()).isEqualTo("[\"" + open + "\"]");
        assertThat(app.get("/api/v1/cases/" + hidden + "/access-log", admin).json().toString()).as("the hidden case was not shown to the reader")
                .doesNotContain(readerId);
        assertThat(app.verifyLog().problems()).as("verify-log checks each read's case links against its payload").isEmpty();
    }

    /** After a suspected leak or a stolen session: what did this account do? Its own entries only, newest first, page by page. */
    @Test
    void anAdministratorListsWhatAUserDidNewestFirst() {
        String suspect = createUser("suspect", "CASE_WORKER");
        String suspectId = app.userId(suspect);
        String caseId = createCase("Invented Watched");
        Reply ownCase = app.post("/api/v1/cases", suspect, "{\"person\":{\"fullName\":\"Invented Content\"},\"category\":\"UNKNOWN\"}");
        assertThat(ownCase.status()).isEqualTo(201);
        assertThat(app.get("/api/v1/cases/" + caseId, suspect).status()).isEqualTo(200);
        assertThat(app.get("/api/v1/cases/" + caseId + "/status-changes", suspect).status()).isEqualTo(200);
        assertThat(app.get("/api/v1/cases/" + caseId, worker).status()).isEqualTo(200);
        long size = app.logSize();

        JsonNode all = app.get("/api/v1/users/" + suspectId + "/activity", admin).json();
        List<String> actions = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        all.get("items").forEach(item -> {
            assertThat(item.get("entry").get("actor").get("id").asText()).isEqualTo(suspectId);
            actions.add(item.get("entry").get("action").asText() + " " + item.get("payload").path("view").asText());
            indexes.add(item.get("index").asLong());
        });
        // the first sign-in, with the one-time password, could only change it
        assertThat(actions).containsExactly("case.viewed status-changes", "case.viewed record", "case.created ", "auth.signed_in ",
                "user.password_changed ", "auth.signed_in ");
        // what the user wrote about a detainee is shown as written (the entry), not what it says (the payload)
        JsonNode created = all.get("items").get(2);
        assertThat(created.get("payload").isNull()).isTrue();
        assertThat(created.get("salt").isNull()).isTrue();
        assertThat(created.get("payloadWithheld").asBoolean()).isTrue();
        assertThat(all.get("items").get(0).has("payloadWithheld")).as("only what is withheld says so").isFalse();
        assertThat(created.get("entry").get("subject").get("id").asText()).isEqualTo(ownCase.json().get("id").asText());
        assertThat(all.toString()).doesNotContain("Invented Content");
        assertThat(all.get("items").get(0).get("payload").get("caseId").asText()).isEqualTo(caseId);
        assertThat(indexes).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.get("to").asLong()).isEqualTo(size);
        assertThat(all.get("from").asLong()).isZero();
        assertThat(all.get("next").isNull()).as("the whole log was looked at").isTrue();

        JsonNode first = app.get("/api/v1/users/" + suspectId + "/activity?limit=2", admin).json();
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("next").asLong()).isEqualTo(indexes.get(1)).isEqualTo(first.get("from").asLong());
        JsonNode rest = app.get("/api/v1/users/" + suspectId + "/activity?limit=2&before=" + first.get("next").asLong(), admin).json();
        assertThat(rest.get("items")).hasSize(2);
        assertThat(rest.get("items").get(0).get("index").asLong()).isEqualTo(indexes.get(2));
        assertThat(rest.get("to").asLong()).isEqualTo(indexes.get(1));

        assertThat(app.get("/api/v1/users/" + suspectId + "/activity", worker).status()).isEqualTo(403);
        assertThat(app.get("/api/v1/users/00000000-0000-4000-8000-000000000000/activity", admin).status()).isEqualTo(404);
        assertThat(app.get("/api/v1/users/" + suspectId + "/activity?before=-1", admin).status()).isEqualTo(422);
        assertThat(app.get("/api/v1/users/" + suspectId + "/activity?limit=1001", admin).status()).isEqualTo(422);
    }

    /**
     * A stolen session cannot copy the files at the service's speed: past its user's read limit (here 5 records at once,
     * then one a second) a read is refused with 429 and records nothing, the first refusal in a minute is noted as
     * {@code auth.reads_limited} for the administrator to see, and other users read on.
     */
    @Test
    void aUserPastTheReadLimitIsRefusedAndTheRefusalIsNotedOnce() throws Exception {
        Path directory = TempDirectories.create("custody-read-limit");
        try (TestApp limited = TestApp.start(database(), TestApp.configWithAuth(directory, "readsPerSecond: 1", "readBurst: 5"))) {
            String administrator = limited.adminToken();
            String scraper = limited.userWithRoles("scraper", "CASE_WORKER");
            String colleague = limited.userWithRoles("colleague", "CASE_WORKER");
            String scraperId = limited.userId(scraper);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(limited.post("/api/v1/cases", colleague, "{\"person\":{\"fullName\":\"Invented Scraped " + i + "\"},\"category\":\"UNKNOWN\"}")
                        .json().get("id").asText());
            }
            long before = limited.logSize();
            Reply page = limited.get("/api/v1/cases?size=5", scraper);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().get("items")).hasSize(5);
            Reply refused = limited.get("/api/v1/cases/" + ids.get(0), scraper);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).isEqualTo("/problems/too-many-reads");
            assertThat(refused.body()).doesNotContain("Invented Scraped");
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertThat(retryAfter).isBetween(1L, 2L);
            assertThat(limited.logSize()).as("the page's five reads and one note of the refusal").isEqualTo(before + 6);
            JsonNode note = limited.get("/api/v1/log/entries/" + (before + 5), administrator).json();
            assertThat(note.get("entry").get("action").asText()).isEqualTo("auth.reads_limited");
            assertThat(note.get("entry").get("actor").get("id").asText()).isEqualTo(scraperId);
            assertThat(note.get("entry").get("subject").get("id").asText()).isEqualTo(scraperId);
            assertThat(note.get("payload").get("readsPerSecond").asInt()).isEqualTo(1);
            assertThat(note.get("payload").get("burst").asInt()).isEqualTo(5);

            Reply again = limited.get("/api/v1/cases/" + ids.get(1) + "/evidence", scraper);
            assertThat(again.status()).isEqualTo(429);
            assertThat(limited.logSize()).as("a refusal within the minute records nothing").isEqualTo(before + 6);
            assertThat(limited.get("/api/v1/cases/" + ids.get(0), colleague).status()).as("each user has an allowance of their own").isEqualTo(200);
            assertThat(limited.get("/api/v1/users/" + scraperId + "/activity?limit=1", administrator).json().get("items").get(0)
                    .get("entry").get("action").asText()).isEqualTo("auth.reads_limited");
            JsonNode metrics = TestApp.MAPPER.readTree(limited.admin("GET", "/metrics").body());
            assertThat(metrics.get("gauges").get("custody.reads.limited").get("value").asLong()).isEqualTo(2);

            Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
            assertThat(limited.get("/api/v1/cases/" + ids.get(0), scraper).status()).as("read again once Retry-After has passed").isEqualTo(200);
            assertThat(limited.verifyLog().problems()).isEmpty();
        } finally {
            TempDirectories.delete(directory);
        }
    }

    @Test
    void passwordResetGivesAOneTimePasswordThatMustBeChanged() {
        String clerk = createUser("clerk", "CASE_WORKER");
        String clerkId = app.userId(clerk);
        Reply reset = app.post("/api/v1/users/" + clerkId + "/password-reset", admin, null);
        assertThat(reset.status()).isEqualTo(201);
        Instant expiresAt = Instant.parse(reset.json().get("expiresAt").asText());
        assertThat(expiresAt).as("seven days, the shipped lifetime").isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)));
        String oneTime = reset.json().get("password").asText();
        assertThat(app.get("/api/v1/cases", clerk).status()).isEqualTo(401);
        String limited = app.signIn("clerk", oneTime);
        assertThat(app.get("/api/v1/cases", limited).status()).isEqualTo(403);
        assertThat(app.put("/api/v1/users/me/password", limited, TestApp.json("currentPassword", oneTime, "newPassword", "password1234")).status())
                .isEqualTo(422);
        assertThat(app.put("/api/v1/users/me/password", limited, TestApp.json("currentPassword", oneTime, "newPassword", "a new invented passphrase"))
                .status()).isEqualTo(204);
        assertThat(app.get("/api/v1/cases", app.signIn("clerk", "a new invented passphrase")).status()).isEqualTo(200);
        String log = app.get("/api/v1/log/entries?from=0&limit=1000", admin).body();
        assertThat(log).contains("user.password_reset").contains("user.password_changed").doesNotContain(oneTime)
                .doesNotContain("a new invented passphrase");
    }

    /**
     * With a lifetime of two seconds: the initial administrator, created before the service started answering, never
     * signed in, so two seconds after the start their one-time password is refused with its own problem (the right
     * password, so only its holder learns of the expiry), no session is opened, and the refusal is an entry.
     */
    @Test
    void anExpiredOneTimePasswordIsRefusedWithItsOwnProblem() throws Exception {
        Path directory = TempDirectories.create("custody-one-time-expiry");
        try (TestApp expiring = TestApp.start(database(), TestApp.configWithAuth(directory, "oneTimePasswordLifetime: 2s"))) {
            String oneTime = java.nio.file.Files.readString(expiring.dataDirectory().resolve("initial-admin-password")).strip();
            Thread.sleep(Duration.ofSeconds(2).toMillis());
            long before = expiring.logSize();
            Reply refused = expiring.post("/api/v1/sessions", null, TestApp.json("username", "admin", "password", oneTime));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"custody\"");
            assertThat(refused.json().get("type").asText()).isEqualTo("/problems/one-time-password-expired");
            assertThat(refused.json().get("detail").asText()).isEqualTo("This one-time password has expired; ask an administrator to reset it");
            assertThat(refused.body()).doesNotContain(oneTime);
            assertThat(expiring.logSize()).isEqualTo(before + 1);
            assertThat(expiring.queryLong("SELECT COUNT(*) FROM log_payload WHERE payload LIKE '%one-time-password-expired%'")).isEqualTo(1);
            assertThat(expiring.queryLong("SELECT COUNT(*) FROM sessions")).as("no session opened").isZero();

            Reply wrong = expiring.post("/api/v1/sessions", null, TestApp.json("username", "admin", "password", "not the password at all"));
            assertThat(wrong.json().get("type").asText()).as("a wrong password is told only that").isEqualTo("/problems/invalid-credentials");
            assertThat(expiring.verifyLog().problems()).isEmpty();
        } finally {
            TempDirectories.delete(directory);
        }
    }

    /** An administrator's list of the one-time passwords not yet used: a new account until taken up, a reset until used. */
    @Test
    void administratorsSeeWhichOneTimePasswordsAreStillUnused() {
        Reply created = app.post("/api/v1/users", admin, "{\"username\":\"pending.lawyer\",\"displayName\":\"Invented Pending\",\"password\":\""
                + TestApp.ONE_TIME_PASSWORD + "\",\"roles\":[\"LAWYER\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String userId = created.json().get("id").asText();
        Reply listed = app.get("/api/v1/users/one-time-passwords", admin);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(TestApp.ONE_TIME_PASSWORD).doesNotContain("argon2");
        JsonNode pending = unusedOneTimePassword(listed, "pending.lawyer");
        assertThat(pending.get("userId").asText()).isEqualTo(userId);
        assertThat(pending.get("displayName").asText()).isEqualTo("Invented Pending");
        assertThat(Instant.parse(pending.get("expiresAt").asText())).isEqualTo(Instant.parse(created.json().get("createdAt").asText()).plus(Duration.ofDays(7)));
        assertThat(app.get("/api/v1/users/one-time-passwords", worker).status()).as("administrators only").isEqualTo(403);

        app.firstSignIn("pending.lawyer", TestApp.ONE_TIME_PASSWORD, PASSWORD);
        assertThat(unusedOneTimePassword(app.get("/api/v1/users/one-time-passwords", admin), "pending.lawyer")).as("taken up").isNull();
        Reply reset = app.post("/api/v1/users/" + userId + "/password-reset", admin, null);
        assertThat(unusedOneTimePassword(app.get("/api/v1/users/one-time-passwords", admin), "pending.lawyer").get("expiresAt").asText())
                .isEqualTo(reset.json().get("expiresAt").asText());
        assertThat(app.patch("/api/v1/users/" + userId, admin, null, "{\"active\":false}").status()).isEqualTo(200);
        assertThat(unusedOneTimePassword(app.get("/api/v1/users/one-time-passwords", admin), "pending.lawyer")).as("deactivated").isNull();
    }

    private static JsonNode unusedOneTimePassword(Reply list, String username) {
        for (JsonNode item : list.json()) {
            if (item.get("username").asText().equals(username)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void theLastActiveAdministratorCannotBeRemoved() {
        String adminId = app.userId(admin);
        assertThat(app.patch("/api/v1/users/" + adminId, admin, null, "{\"active\":false}").status()).isEqualTo(409);
        assertThat(app.patch("/api/v1/users/" + adminId, admin, null, "{\"roles\":[\"CASE_WORKER\"]}").status()).isEqualTo(409);
        assertThat(app.get("/api/v1/users/" + adminId, admin).json().get("active").asBoolean()).isTrue();
        assertThat(app.patch("/api/v1/users/" + adminId, admin, null, "{\"roles\":[]}").status()).isEqualTo(422);
    }

    /** A session opened with a password alone does not become an administrator's, which needs the second factor. */
    @Test
    void beingMadeAnAdministratorEndsTheSessionsOpenedWithoutTheSecondFactor() {
        String session = createUser("promoted", "CASE_WORKER");
        String userId = app.userId(session);
        Reply renamed = app.patch("/api/v1/users/" + userId, admin, null, "{\"displayName\":\"Promoted Soon\"}");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(app.get("/api/v1/cases", session).status()).as("other changes leave sessions open").isEqualTo(200);

        Reply promoted = app.patch("/api/v1/users/" + userId, admin, null, "{\"roles\":[\"CASE_WORKER\",\"ADMIN\"]}");
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        assertThat(app.get("/api/v1/users", session).status()).as("the old session may not act as an administrator").isEqualTo(401);
        assertThat(app.get("/api/v1/users/" + userId + "/sessions", admin).json()).isEmpty();
        Reply again = app.post("/api/v1/sessions", null, TestApp.json("username", "promoted", "password", PASSWORD));
        assertThat(again.json().get("scope").asText()).as("the next sign-in must enrol a second factor first").isEqualTo("ENROL_TOTP");
        assertThat(app.get("/api/v1/users", again.json().get("token").asText()).status()).isEqualTo(403);
    }

    @Test
    void aUserNameSignsInWhateverItsCaseOrSurroundingSpaces() {
        createUser("typed.name", "LAWYER");
        Reply signedIn = app.post("/api/v1/sessions", null, TestApp.json("username", " Typed.Name ", "password", PASSWORD));
        assertThat(signedIn.status()).isEqualTo(201);
        assertThat(signedIn.json().get("user").get("username").asText()).isEqualTo("typed.name");
    }

    @Test
    void repeatedFailuresAreThrottledAlikeForRealAndUnknownUsers() {
        createUser("target", "LAWYER");
        for (String username : List.of("target", "nobody-here")) {
            // five spellings of one name are five failures of one user: the name is matched whatever its case
            List<String> spellings = List.of(username, username.toUpperCase(java.util.Locale.ROOT), " " + username, username + " ",
                    Character.toUpperCase(username.charAt(0)) + username.substring(1));
            for (int attempt = 0; attempt < 5; attempt++) {
                Reply failed = app.post("/api/v1/sessions", null, TestApp.json("username", spellings.get(attempt), "password", "wrong guess number " + attempt));
                assertThat(failed.status()).isEqualTo(401);
            }
            Reply refused = app.post("/api/v1/sessions", null, TestApp.json("username", username, "password", PASSWORD));
            assertThat(refused.status()).as("even the right password waits").isEqualTo(429);
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(refused.json().get("detail").asText()).doesNotContain(username);
        }
        assertThat(app.get("/api/v1/log/entries?from=0&limit=1000", admin).body()).contains("\"reason\":\"throttled\"").doesNotContain("wrong guess");
    }

    @Test
    void aSessionCannotGuessItsUsersPasswordFasterThanSignInCan() {
        String session = createUser("borrowed.laptop", "LAWYER");
        long logSize = app.queryLong("SELECT COUNT(*) FROM log_entry");
        for (int attempt = 0; attempt < 5; attempt++) {
            Reply wrong = app.put("/api/v1/users/me/password", session,
                    TestApp.json("currentPassword", "guess number " + attempt, "newPassword", "a brand new passphrase"));
            assertThat(wrong.status()).isEqualTo(422);
        }
        Reply refused = app.put("/api/v1/users/me/password", session, TestApp.json("currentPassword", PASSWORD, "newPassword", "a brand new passphrase"));
        assertThat(refused.status()).as("even the right password waits").isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry")).as("refusals write nothing").isEqualTo(logSize);
        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "borrowed.laptop", "password", PASSWORD)).status())
                .as("the guesses count at sign-in too").isEqualTo(429);
        assertThat(app.get("/api/v1/users/me", session).status()).as("the session itself goes on").isEqualTo(200);
    }

    @Test
    void aPasswordHashedAtAnOlderCostIsHashedAgainAtTheNextSignIn() {
        createUser("long.standing", "LAWYER");
        String older = new PasswordHasher(19 * 1024, 2, 1, new SecureRandom()).hash(PASSWORD.toCharArray());
        app.execute("UPDATE users SET password_hash = '" + older + "' WHERE username = 'long.standing'");
        String current = "password_hash LIKE '$argon2id$v=19$m=19456,t=" + PasswordHasher.DEFAULT_ITERATIONS + ",p=1$%'";

        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "long.standing", "password", "not the password")).status())
                .isEqualTo(401);
        assertThat(app.queryLong("SELECT COUNT(*) FROM users WHERE username = 'long.standing' AND password_hash = '" + older + "'"))
                .as("a failed sign-in changes nothing").isEqualTo(1);

        long before = app.logSize();
        app.signIn("long.standing", PASSWORD);
        assertThat(app.queryLong("SELECT COUNT(*) FROM users WHERE username = 'long.standing' AND " + current)).isEqualTo(1);
        assertThat(app.get("/api/v1/log/entries?from=" + before + "&limit=10", admin).body()).contains("\"passwordRehashed\":true");
        before = app.logSize();
        app.signIn("long.standing", PASSWORD);
        assertThat(app.get("/api/v1/log/entries?from=" + before + "&limit=10", admin).body())
                .contains("auth.signed_in").doesNotContain("passwordRehashed");
        assertThat(app.verifyLog().problems()).isEmpty();
    }

    @Test
    void sessionsAreListedWithoutTokensAndCanBeRevoked() {
        String token = createUser("travelling", "LAWYER");
        String userId = app.userId(token);
        JsonNode sessions = app.get("/api/v1/users/" + userId + "/sessions", admin).json();
        assertThat(sessions).hasSize(1);
        assertThat(sessions.toString()).doesNotContain(token);
        assertThat(app.delete("/api/v1/users/" + userId + "/sessions/" + sessions.get(0).get("id").asText(), admin).status()).isEqualTo(204);
        assertThat(app.get("/api/v1/users/me", token).status()).isEqualTo(401);
    }

    @Test
    void anAdministratorResetsALostSecondFactor() {
        String token = createUser("phone.lost", "LAWYER");
        byte[] secret = Totp.fromBase32(app.post("/api/v1/users/me/totp", token, null).json().get("secret").asText());
        assertThat(app.post("/api/v1/users/me/totp/confirmation", token, TestApp.json("code", code(secret, 0))).status()).isEqualTo(204);
        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "phone.lost", "password", PASSWORD)).status()).isEqualTo(401);
        String userId = app.get("/api/v1/users", admin).json().findParents("username").stream()
                .filter(user -> user.get("username").asText().equals("phone.lost")).findFirst().orElseThrow().get("id").asText();
        assertThat(app.delete("/api/v1/users/" + userId + "/totp", admin).status()).isEqualTo(204);
        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "phone.lost", "password", PASSWORD)).status()).isEqualTo(201);
        assertThat(app.get("/api/v1/log/entries?from=0&limit=1000", admin).body()).contains("user.totp_enabled").contains("user.totp_reset")
                .doesNotContain(Totp.base32(secret));
    }

    /**
     * A copy of the database (a backup, a dump) must not give away the second factor: the row holds the secret sealed
     * under the key in the key directory, for its own user only. A row that does not open is the deployment's fault,
     * so sign-in answers 503 rather than pretending the code was wrong.
     */
    @Test
    void secondFactorSecretsAreStoredSealedForTheirOwnUser() {
        String token = createUser("sealed.secret", "LAWYER");
        String userId = app.userId(token);
        byte[] secret = Totp.fromBase32(app.post("/api/v1/users/me/totp", token, null).json().get("secret").asText());
        byte[] stored = app.queryBytes("SELECT totp_secret FROM users WHERE id = '" + userId + "'");
        assertThat(stored).hasSize(1 + 12 + secret.length + 16);
        assertThat(java.util.Collections.indexOfSubList(toList(stored), toList(secret))).as("the secret is not in the row").isEqualTo(-1);
        SecondFactorKey key = SecondFactorKey.read(app.dataDirectory().resolve("keys").resolve(SecondFactorKey.FILE_NAME), new char[0], new SecureRandom());
        assertThat(key.open(UUID.fromString(userId), stored)).isEqualTo(secret);
        assertThat(app.post("/api/v1/users/me/totp/confirmation", token, TestApp.json("code", code(secret, 0))).status()).isEqualTo(204);
        assertThat(app.post("/api/v1/sessions", null, TestApp.json("username", "sealed.secret", "password", PASSWORD, "totpCode", code(secret, 1)))
                .status()).isEqualTo(201);

        String otherId = app.userId(createUser("borrowed.secret", "LAWYER"));
        app.execute("UPDATE users SET totp_secret = (SELECT totp_secret FROM users WHERE id = '" + userId + "'), totp_enabled = TRUE WHERE id = '"
                + otherId + "'");
        try {
            Reply refused = app.post("/api/v1/sessions", null, TestApp.json("username", "borrowed.secret", "password", PASSWORD,
                    "totpCode", code(secret, 0)));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asText()).isEqualTo("The second factor cannot be checked now; the operators have been told");
        } finally {
            app.execute("UPDATE users SET totp_secret = NULL, totp_enabled = FALSE WHERE id = '" + otherId + "'");
        }
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (Reply reply : List.of(app.get("/api/v1/cases", worker), app.get("/api/v1/nowhere", worker), app.get("/api/v1/log/checkpoint", null))) {
            assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
        }
    }
}
