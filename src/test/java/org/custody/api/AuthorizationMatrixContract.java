package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every endpoint against every kind of caller: no token, an expired token, a revoked token, each role, a lawyer
 * without a grant and a case worker facing a restricted case. A refusal must be the expected status and write nothing.
 * ApiSurfaceTest checks that this list and the running application name the same operations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthorizationMatrixContract {
    TestApp app;
    final Map<String, String> callers = new LinkedHashMap<>();
    String openCase;
    String restrictedCase;
    String evidence;
    String restrictedEvidence;
    String userId;
    String workersExport;

    abstract TestDatabase.Kind database();

    /** One operation: method, path, a body, the roles it admits, and the case whose visibility it depends on. */
    record Operation(String method, String path, String body, Set<String> roles, String scopedTo) {}

    @BeforeAll
    void start() {
        app = TestApp.start(database());
        String worker = app.userWithRoles("matrix.worker", "CASE_WORKER");
        callers.put("ADMIN", app.adminToken());
        callers.put("CASE_WORKER", worker);
        callers.put("LAWYER", app.userWithRoles("matrix.lawyer", "LAWYER"));
        openCase = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Open\"},\"category\":\"UNKNOWN\"}").json().get("id").asText();
        restrictedCase = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Restricted\"},\"category\":\"UNKNOWN\"}").json().get("id").asText();
        evidence = addEvidence(worker, openCase);
        restrictedEvidence = addEvidence(worker, restrictedCase);
        assertThat(app.put("/api/v1/cases/" + restrictedCase + "/restriction", app.adminToken(), "{\"restricted\":true,\"reason\":\"invented\"}").status()).isEqualTo(200);
        userId = app.userId(worker);
        workersExport = app.post("/api/v1/exports", worker, "{\"caseIds\":[\"" + openCase + "\"],\"purpose\":\"invented\"}").json().get("id").asText();

        String expired = app.userWithRoles("matrix.expired", "CASE_WORKER,LAWYER");
        app.execute("UPDATE sessions SET expires_at = created_at WHERE user_id = '" + app.userId(expired) + "'");
        callers.put("expired token", expired);
        String revoked = app.userWithRoles("matrix.revoked", "ADMIN,CASE_WORKER,LAWYER");
        assertThat(app.delete("/api/v1/sessions/current", revoked).status()).isEqualTo(204);
        callers.put("revoked token", revoked);
        callers.put("no token", null);
    }

    private String addEvidence(String worker, String caseId) {
        return app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"obtainedFrom\":\"invented\",\"caseIds\":[\"" + caseId + "\"]}")
                .json().get("id").asText();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    List<Operation> operations() {
        Set<String> admin = Set.of("ADMIN");
        Set<String> worker = Set.of("CASE_WORKER");
        Set<String> readers = Set.of("CASE_WORKER", "LAWYER");
        Set<String> anyone = Set.of("ADMIN", "CASE_WORKER", "LAWYER");
        String c = "/api/v1/cases/" + restrictedCase;
        String e = "/api/v1/evidence/" + restrictedEvidence;
        String o = "/api/v1/cases/" + openCase;
        String u = "/api/v1/users/" + userId;
        String caseBody = "{\"person\":{\"fullName\":\"X\"},\"category\":\"UNKNOWN\"}";
        return List.of(
                new Operation("DELETE", "/api/v1/sessions/current", null, anyone, null),
                new Operation("GET", "/api/v1/users/me", null, anyone, null),
                new Operation("PUT", "/api/v1/users/me/password", "{\"currentPassword\":\"x\",\"newPassword\":\"y\"}", anyone, null),
                new Operation("POST", "/api/v1/users/me/totp", null, anyone, null),
                new Operation("POST", "/api/v1/users/me/totp/confirmation", "{\"code\":\"1\"}", anyone, null),
                new Operation("POST", "/api/v1/users", "{}", admin, null),
                new Operation("GET", "/api/v1/users", null, admin, null),
                new Operation("GET", "/api/v1/users/one-time-passwords", null, admin, null),
                new Operation("GET", u, null, admin, null),
                new Operation("PATCH", u, "{}", admin, null),
                new Operation("POST", u + "/password-reset", null, admin, null),
                new Operation("GET", u + "/sessions", null, admin, null),
                new Operation("DELETE", u + "/sessions/00000000-0000-4000-8000-000000000000", null, admin, null),
                new Operation("DELETE", u + "/totp", null, admin, null),
                new Operation("GET", u + "/grants", null, admin, null),
                new Operation("GET", u + "/activity", null, admin, null),
                new Operation("GET", "/api/v1/users/me/grants", null, anyone, null),
                new Operation("POST", "/api/v1/cases", caseBody, worker, null),
                new Operation("GET", "/api/v1/cases", null, readers, null),
                new Operation("GET", c, null, readers, restrictedCase),
                new Operation("PATCH", c, "{\"summary\":\"x\"}", worker, restrictedCase),
                new Operation("POST", c + "/status-changes", "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\"}", worker, restrictedCase),
                new Operation("GET", c + "/status-changes", null, readers, restrictedCase),
                new Operation("GET", c + "/history", null, readers, restrictedCase),
                new Operation("GET", c + "/evidence", null, readers, restrictedCase),
                new Operation("GET", o, null, readers, openCase),
                new Operation("GET", c + "/grants", null, admin, null),
                new Operation("POST", c + "/grants", "{}", admin, null),
                new Operation("DELETE", c + "/grants/" + userId, null, admin, null),
                new Operation("PUT", c + "/restriction", "{}", admin, null),
                new Operation("GET", c + "/access-log", null, admin, null),
                // an administrator also needs the CASE_WORKER role (ErasureContract); the matrix's ADMIN caller has not, so it is never sent
                new Operation("POST", c + "/erasure", "{\"reason\":\"x\"}", admin, null),
                new Operation("GET", c + "/erasure", null, admin, null),
                new Operation("DELETE", c + "/erasure", null, admin, null),
                new Operation("POST", c + "/erasure/approval", "{\"proposal\":0}", admin, null),
                new Operation("GET", "/api/v1/erasure-proposals", null, admin, null),
                new Operation("POST", "/api/v1/evidence", "{}", worker, null),
                new Operation("GET", "/api/v1/evidence", null, readers, null),
                new Operation("GET", e, null, readers, restrictedCase),
                new Operation("GET", "/api/v1/evidence/" + evidence, null, readers, openCase),
                new Operation("PATCH", e, "{\"title\":\"x\"}", worker, restrictedCase),
                new Operation("POST", e + "/cases", "{\"caseId\":\"" + openCase + "\"}", worker, restrictedCase),
                new Operation("DELETE", e + "/cases/" + openCase, "{\"reason\":\"x\"}", worker, restrictedCase),
                new Operation("POST", e + "/custody-events", "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-01T00:00:00Z\"}", worker, restrictedCase),
                new Operation("GET", e + "/custody-events", null, readers, restrictedCase),
                new Operation("GET", "/api/v1/log/proofs/inclusion?index=0&treeSize=1", null, admin, null),
                new Operation("GET", "/api/v1/log/entries", null, admin, null),
                new Operation("GET", "/api/v1/log/entries/0", null, admin, null),
                new Operation("GET", "/api/v1/log/tile/entries/000", null, admin, null),
                new Operation("POST", "/api/v1/exports", "{\"caseIds\":[\"" + restrictedCase + "\"],\"purpose\":\"p\"}", readers, restrictedCase),
                new Operation("GET", "/api/v1/exports", null, anyone, null),
                // another user's export: a lawyer is told it does not exist
                new Operation("GET", "/api/v1/exports/" + workersExport, null, anyone, openCase),
                new Operation("GET", "/api/v1/exports/" + workersExport + "/bundle", null, readers, openCase),
                new Operation("HEAD", "/api/v1/exports/" + workersExport + "/bundle", null, readers, openCase));
    }

    private Reply send(Operation operation, String token) {
        if (operation.method().equals("PATCH")) {
            return app.patch(operation.path(), token, "\"1\"", operation.body());
        }
        return app.send(operation.method(), operation.path(), token,
                operation.body() == null ? null : operation.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void everyRefusalIsTheExpectedStatusAndWritesNothing() {
        for (Operation operation : operations()) {
            for (Map.Entry<String, String> caller : callers.entrySet()) {
                String who = caller.getKey();
                Integer expected;
                if (Set.of("no token", "expired token", "revoked token").contains(who)) {
                    expected = 401;
                } else if (!operation.roles().contains(who)) {
                    expected = 403;
                } else if (operation.scopedTo() != null && (who.equals("LAWYER") || operation.scopedTo().equals(restrictedCase))) {
                    expected = 404;
                } else {
                    continue;
                }
                List<Long> before = app.footprint();
                Reply reply = send(operation, caller.getValue());
                assertThat(reply.status()).as("%s %s as %s: %s", operation.method(), operation.path(), who, reply.body()).isEqualTo(expected);
                assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(app.footprint()).as("%s %s as %s wrote nothing", operation.method(), operation.path(), who).isEqualTo(before);
            }
        }
    }

    @Test
    void theMatrixCoversEveryProtectedOperation() {
        Set<String> covered = new java.util.TreeSet<>();
        for (Operation operation : operations()) {
            String template = operation.path().replaceAll("\\?.*", "")
                    .replaceAll("/evidence/[0-9a-f-]{36}/cases/[0-9a-f-]{36}", "/evidence/{id}/cases/{caseId}")
                    .replaceAll("/cases/[0-9a-f-]{36}/grants/[0-9a-f-]{36}", "/cases/{caseId}/grants/{userId}")
                    .replaceAll("/cases/[0-9a-f-]{36}/(grants|evidence|erasure)", "/cases/{caseId}/$1")
                    .replaceAll("/cases/[0-9a-f-]{36}", "/cases/{id}")
                    .replaceAll("/evidence/[0-9a-f-]{36}", "/evidence/{id}")
                    .replaceAll("/users/[0-9a-f-]{36}/sessions/[0-9a-f-]{36}", "/users/{id}/sessions/{sessionId}")
                    .replaceAll("/users/[0-9a-f-]{36}", "/users/{id}")
                    .replaceAll("/tile/entries/000", "/tile/entries/{index}")
                    .replaceAll("/entries/0", "/entries/{index}")
                    .replaceAll("/exports/[0-9a-f-]{36}", "/exports/{id}");
            covered.add(operation.method() + " " + template);
        }
        assertThat(covered).containsAll(ApiSurfaceTest.protectedOperations(app));
    }
}
