package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The everyday API, end to end over HTTP, run once on H2 and once on PostgreSQL (see the subclasses). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CaseApiContract {
    static final String ARMENIAN = "Արամ Վարդանյան";
    TestApp app;
    String worker;
    String lawyer;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database());
        worker = app.userWithRoles("worker", "CASE_WORKER");
        lawyer = app.userWithRoles("lawyer", "LAWYER");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    String createCase(String fullName, String originalScript, String category) {
        Reply created = app.post("/api/v1/cases", worker, """
                {"person":{"fullName":"%s","originalScriptName":"%s","birthDate":{"date":"1999-05","approximate":true}},
                 "category":"%s","detention":{"capturedOn":"2020-11","placesOfDetention":["Invented place"]}}"""
                .formatted(fullName, originalScript, category));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    String addEvidence(String caseId) {
        Reply added = app.post("/api/v1/evidence", worker, """
                {"kind":"VIDEO","title":"Video of captives","sha256":"%s","caseIds":["%s"],"capturedAt":"2020-12"}"""
                .formatted("AB".repeat(32), caseId));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added.json().get("id").asText();
    }

    @Test
    void writesAnsweredInFullKeepTheConnectionOpenForTheNextRequest() throws Exception {
        String caseId = createCase("Kept Connection", "", "CIVILIAN_DETAINEE");
        String requests = post("/api/v1/cases/" + caseId + "/status-changes", "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\"}")
                + post("/api/v1/cases", "{\"person\":{\"fullName\":\"Second Kept\"},\"category\":\"UNKNOWN\"}")
                + "GET /api/v1/log/checkpoint HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // two 201s, each without Connection: close, and the third request answered on the same connection
            assertThat(answers.split("HTTP/1\\.1 201 ", -1)).as(answers).hasSize(3);
            assertThat(answers.indexOf("HTTP/1.1 200 ")).as(answers).isPositive();
            assertThat(answers.substring(0, answers.indexOf("HTTP/1.1 200 ")).toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
        }
    }

    /** A worker's POST of a JSON body, as raw HTTP/1.1 (the bodies here are ASCII, so characters count as bytes). */
    private String post(String path, String json) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + worker
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json;
    }

    @Test
    void newcomerWalkthroughShowsEveryChangeInTheCaseHistoryWithItsLogIndex() {
        Reply created = app.post("/api/v1/cases", worker, """
                {"person":{"fullName":"Aram Vardanyan","originalScriptName":"%s"},"category":"PRISONER_OF_WAR"}""".formatted(ARMENIAN));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.json().get("reference").asText()).matches("C-\\d{4}-\\d{6}");
        assertThat(created.json().get("status").asText()).isEqualTo("REPORTED");
        String caseId = created.json().get("id").asText();
        long createdIndex = Long.parseLong(created.header("Log-Index"));

        String evidenceId = addEvidence(caseId);
        Reply custody = app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker,
                "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"from the archive\"}");
        assertThat(custody.status()).isEqualTo(201);
        Reply status = app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":{\"date\":\"2020-12\",\"approximate\":true},\"reason\":\"seen in video\",\"evidenceIds\":[\"" + evidenceId + "\"]}");
        assertThat(status.status()).as(status.toString()).isEqualTo(201);
        long statusIndex = Long.parseLong(status.header("Log-Index"));

        assertThat(app.get("/api/v1/cases/" + caseId, lawyer).status()).as("a lawyer sees only granted cases").isEqualTo(404);
        app.grant(caseId, lawyer);
        Reply fetched = app.get("/api/v1/cases/" + caseId, lawyer);
        assertThat(fetched.json().get("person").get("originalScriptName").asText()).isEqualTo(ARMENIAN);
        assertThat(fetched.json().get("status").asText()).isEqualTo("DETENTION_CONFIRMED");
        assertThat(fetched.header("ETag")).isEqualTo("\"2\"");

        JsonNode history = app.get("/api/v1/cases/" + caseId + "/history", lawyer).json();
        List<String> actions = new ArrayList<>();
        history.get("items").forEach(item -> actions.add(item.get("entry").get("action").asText()));
        assertThat(actions).containsExactly("case.status_changed", "evidence.custody_event_recorded", "evidence.created", "case.created");
        assertThat(history.get("items").get(0).get("index").asLong()).isEqualTo(statusIndex);
        assertThat(history.get("items").get(3).get("index").asLong()).isEqualTo(createdIndex);
        assertThat(history.get("items").get(3).get("payload").get("case").get("person").get("originalScriptName").asText()).isEqualTo(ARMENIAN);
        assertThat(history.get("items").get(3).get("entry").toString()).doesNotContain("Aram").doesNotContain(ARMENIAN);
        // pages of the history follow each other, newest first, whatever the lawyer's reads recorded between them
        List<String> paged = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonNode part = app.get("/api/v1/cases/" + caseId + "/history?page=" + page + "&size=3", lawyer).json();
            assertThat(part.get("total").asLong()).isEqualTo(4);
            part.get("items").forEach(item -> paged.add(item.get("entry").get("action").asText()));
        }
        assertThat(paged).isEqualTo(actions);

        JsonNode timeline = app.get("/api/v1/cases/" + caseId + "/status-changes", lawyer).json().get("items");
        assertThat(timeline).hasSize(1);
        assertThat(timeline.get(0).get("evidenceIds").get(0).asText()).isEqualTo(evidenceId);
        JsonNode linked = app.get("/api/v1/cases/" + caseId + "/evidence", lawyer).json().get("items");
        assertThat(linked.get(0).get("sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(app.get("/api/v1/evidence/" + evidenceId + "/custody-events", lawyer).json().get("items").get(0).get("note").asText())
                .isEqualTo("from the archive");
    }

    /**
     * A case's timeline, its evidence and an item's chain of custody grow with the years: each comes a page at a time,
     * in order, with the total, and a page of evidence records the reads of the items it shows, not of all of them.
     */
    @Test
    void aTimelineAnEvidenceListAndAChainOfCustodyComeAPageAtATime() {
        String caseId = createCase("Paged Person", "", "CIVILIAN_DETAINEE");
        List<String> evidenceIds = List.of(addEvidence(caseId), addEvidence(caseId), addEvidence(caseId));
        List<String> statuses = List.of("WHEREABOUTS_UNKNOWN", "DETENTION_CONFIRMED", "CHARGED", "ON_TRIAL", "SENTENCED");
        for (String status : statuses) {
            assertThat(app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                    "{\"status\":\"" + status + "\",\"effectiveDate\":\"2021\"}").status()).isEqualTo(201);
        }
        String events = "/api/v1/evidence/" + evidenceIds.get(0) + "/custody-events";
        for (int i = 0; i < 3; i++) {
            assertThat(app.post(events, worker, "{\"action\":\"TRANSFERRED\",\"performedAt\":\"2021-01-0" + (i + 1)
                    + "T09:30:00Z\",\"note\":\"hand-over " + i + "\"}").status()).isEqualTo(201);
        }

        List<String> timeline = new ArrayList<>();
        for (int page = 0; page < 4; page++) {
            JsonNode part = app.get("/api/v1/cases/" + caseId + "/status-changes?page=" + page + "&size=2", worker).json();
            assertThat(part.get("total").asLong()).isEqualTo(5);
            assertThat(part.get("items").size()).isEqualTo(List.of(2, 2, 1, 0).get(page));
            part.get("items").forEach(change -> timeline.add(change.get("status").asText()));
        }
        assertThat(timeline).isEqualTo(statuses);

        List<String> linked = new ArrayList<>();
        for (int page = 0; page < 2; page++) {
            long before = app.logSize();
            JsonNode part = app.get("/api/v1/cases/" + caseId + "/evidence?page=" + page + "&size=2", worker).json();
            assertThat(part.get("total").asLong()).isEqualTo(3);
            part.get("items").forEach(item -> linked.add(item.get("id").asText()));
            assertThat(app.logSize()).as("the case's read and one for each item shown").isEqualTo(before + 1 + part.get("items").size());
        }
        assertThat(linked).isEqualTo(evidenceIds);

        JsonNode chain = app.get(events + "?size=2", worker).json();
        assertThat(chain.get("total").asLong()).isEqualTo(3);
        assertThat(chain.get("items")).extracting(event -> event.get("note").asText()).containsExactly("hand-over 0", "hand-over 1");
        assertThat(chain.get("items")).extracting(event -> event.get("sequence").asInt()).containsExactly(1, 2);
        assertThat(app.get(events + "?page=1&size=2", worker).json().get("items")).extracting(event -> event.get("note").asText())
                .containsExactly("hand-over 2");

        for (String path : List.of("/api/v1/cases/" + caseId + "/status-changes?size=201", "/api/v1/cases/" + caseId + "/evidence?page=-1",
                events + "?size=zero")) {
            long before = app.logSize();
            Reply refused = app.get(path, worker);
            assertThat(refused.status()).as(path).isEqualTo(422);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(app.logSize()).as("a refused read records nothing").isEqualTo(before);
        }
    }

    @Test
    void mergePatchNeedsTheCurrentVersionAndRecordsTheReason() {
        String caseId = createCase("Anahit Grigoryan", "Անահիտ Գրիգորյան", "CIVILIAN_DETAINEE");
        List<Long> before = app.footprint();
        assertThat(app.patch("/api/v1/cases/" + caseId, worker, null, "{\"summary\":\"x\"}").status()).isEqualTo(428);
        assertThat(app.patch("/api/v1/cases/" + caseId, worker, "\"7\"", "{\"summary\":\"x\"}").status()).isEqualTo(412);
        assertThat(app.footprint()).isEqualTo(before);

        Reply edited = app.patch("/api/v1/cases/" + caseId, worker, "\"1\"",
                "{\"summary\":\"Corrected\",\"reason\":\"spelling\",\"detention\":{\"placesOfDetention\":null,\"lastKnownWhereabouts\":\"Unknown\"}}");
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.header("ETag")).isEqualTo("\"2\"");
        JsonNode detention = edited.json().get("detention");
        assertThat(detention.get("capturedOn").get("date").asText()).isEqualTo("2020-11");
        assertThat(detention.get("placesOfDetention")).isEmpty();
        assertThat(detention.get("lastKnownWhereabouts").asText()).isEqualTo("Unknown");

        JsonNode latest = app.get("/api/v1/cases/" + caseId + "/history", worker).json().get("items").get(0);
        assertThat(latest.get("entry").get("action").asText()).isEqualTo("case.updated");
        assertThat(latest.get("payload").get("reason").asText()).isEqualTo("spelling");
        assertThat(latest.get("payload").get("version").asLong()).isEqualTo(2);
        assertThat(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"late\"}").status()).isEqualTo(412);
    }

    /**
     * A patch that would store the record exactly as it is (a value set to itself, an empty list written as null, a
     * date written in its other form) changes nothing: the version, the ETag and the history stay, and since the answer
     * shows the record, its entry records a read of it. Likewise for an evidence item.
     */
    @Test
    void aPatchThatChangesNothingKeepsTheVersionAndIsRecordedAsARead() {
        String caseId = createCase("Invented Unchanged", "Invented", "CIVILIAN_DETAINEE");
        String admin = app.adminToken();
        long historyBefore = app.get("/api/v1/cases/" + caseId + "/history", worker).json().get("total").asLong();
        Reply same = app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", """
                {"person":{"otherNames":null,"birthDate":{"date":"1999-05","approximate":true}},"detention":{"capturedOn":{"date":"2020-11"}},
                 "category":"CIVILIAN_DETAINEE","reason":"checked"}""");
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(same.header("ETag")).isEqualTo("\"1\"");
        assertThat(same.json().get("version").asLong()).isEqualTo(1);
        assertThat(same.json().get("person").get("fullName").asText()).isEqualTo("Invented Unchanged");
        assertThat(app.get("/api/v1/cases/" + caseId + "/history", worker).json().get("total").asLong()).as("nothing new in the history")
                .isEqualTo(historyBefore);
        JsonNode read = accessLogEntry(caseId, admin, Long.parseLong(same.header("Log-Index")));
        assertThat(read.get("entry").get("action").asText()).isEqualTo("case.viewed");
        assertThat(read.get("payload").get("view").asText()).isEqualTo("unchanged-edit");
        Reply changed = app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"Now changed\"}");
        assertThat(changed.status()).as("the version it showed is still the current one").isEqualTo(200);
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");

        Reply evidence = app.post("/api/v1/evidence", worker, """
                {"kind":"PHOTO","title":"Invented photo","sha256":"%s","caseIds":["%s"],"capturedAt":"2020"}""".formatted("ab".repeat(32), caseId));
        assertThat(evidence.status()).as(evidence.toString()).isEqualTo(201);
        String evidenceId = evidence.json().get("id").asText();
        Reply sameEvidence = app.patch("/api/v1/evidence/" + evidenceId, worker, "\"1\"",
                "{\"title\":\"Invented photo\",\"sha256\":\"%s\",\"capturedAt\":{\"date\":\"2020\"}}".formatted("AB".repeat(32)));
        assertThat(sameEvidence.status()).as(sameEvidence.toString()).isEqualTo(200);
        assertThat(sameEvidence.header("ETag")).isEqualTo("\"1\"");
        assertThat(sameEvidence.json().get("caseIds").toString()).isEqualTo("[\"" + caseId + "\"]");
        JsonNode evidenceRead = accessLogEntry(caseId, admin, Long.parseLong(sameEvidence.header("Log-Index")));
        assertThat(evidenceRead.get("entry").get("action").asText()).isEqualTo("evidence.viewed");
        assertThat(evidenceRead.get("payload").get("view").asText()).isEqualTo("unchanged-edit");
        assertThat(app.patch("/api/v1/evidence/" + evidenceId, worker, "\"1\"", "{\"title\":\"Renamed\"}").header("ETag")).isEqualTo("\"2\"");
        assertThat(app.verifyLog().problems()).as("verify-log replays it").isEmpty();
    }

    /** The entry of a case's access log with that index (the log's newest first page holds it). */
    /**
     * A HEAD of a record answers what its GET would, without the body: whether the record exists for the caller, and its
     * version. That is a read too, so it is recorded as the GET is; where the GET would answer 404, so does the HEAD,
     * and nothing is recorded.
     */
    @Test
    void aHeadOfARecordIsRecordedAsARead() {
        String caseId = createCase("Invented Headed", "Invented", "CIVILIAN_DETAINEE");
        String evidenceId = addEvidence(caseId);
        String admin = app.adminToken();
        for (String path : List.of("/api/v1/cases/" + caseId, "/api/v1/evidence/" + evidenceId)) {
            long index = app.logSize();
            Reply head = app.send("HEAD", path, worker, null, null);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("ETag")).isEqualTo("\"1\"");
            assertThat(app.logSize()).as("one entry, the read's").isEqualTo(index + 1);
            JsonNode read = accessLogEntry(caseId, admin, index);
            assertThat(read.get("entry").get("action").asText()).isEqualTo(path.contains("/cases/") ? "case.viewed" : "evidence.viewed");
            assertThat(read.get("entry").get("actor").get("id").asText()).isEqualTo(app.userId(worker));
        }
        long size = app.logSize();
        assertThat(app.send("HEAD", "/api/v1/cases/" + caseId, lawyer, null, null).status()).as("a case the lawyer was not granted").isEqualTo(404);
        assertThat(app.send("HEAD", "/api/v1/cases/00000000-0000-4000-8000-000000000000", worker, null, null).status()).isEqualTo(404);
        assertThat(app.logSize()).as("no read where there was nothing to read").isEqualTo(size);
    }

    private JsonNode accessLogEntry(String caseId, String admin, long index) {
        List<JsonNode> found = new ArrayList<>();
        app.get("/api/v1/cases/" + caseId + "/access-log", admin).json().get("items").forEach(item -> {
            if (item.get("index").asLong() == index) {
                found.add(item);
            }
        });
        assertThat(found).as("entry %d in the access log", index).hasSize(1);
        return found.get(0);
    }

    /** Where text has lines (a summary, a description, a reason) line breaks and tabs are kept as typed; names in any script too. */
    @Test
    void textWithLinesKeepsItsLineBreaksAndTabs() {
        Reply created = app.post("/api/v1/cases", worker, """
                {"person":{"fullName":"Invented \\u200FRight-to-left mark","originalScriptName":"%s"},"category":"UNKNOWN",
                 "summary":"First line\\nsecond line\\twith a tab","detention":{"circumstances":"One\\r\\nTwo"}}""".formatted(ARMENIAN));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode stored = app.get("/api/v1/cases/" + created.json().get("id").asText(), worker).json();
        assertThat(stored.get("summary").asText()).isEqualTo("First line\nsecond line\twith a tab");
        assertThat(stored.get("detention").get("circumstances").asText()).isEqualTo("One\r\nTwo");
        assertThat(stored.get("person").get("fullName").asText()).isEqualTo("Invented \u200FRight-to-left mark");
        assertThat(stored.get("person").get("originalScriptName").asText()).isEqualTo(ARMENIAN);
        Reply evidence = app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"Statement\",\"description\":\"Line\\nnext\",\"caseIds\":[\""
                + created.json().get("id").asText() + "\"]}");
        assertThat(evidence.status()).as(evidence.toString()).isEqualTo(201);
        assertThat(evidence.json().get("description").asText()).isEqualTo("Line\nnext");
    }

    @Test
    void aPartialDateWithoutApproximateIsExactAsTheSchemaSays() {
        Reply created = app.post("/api/v1/cases", worker, """
                {"person":{"fullName":"Exact Birthdate","birthDate":{"date":"1999-05"}},"category":"UNKNOWN"}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("person").get("birthDate").get("approximate").asBoolean(true)).isFalse();
        Reply evidence = app.post("/api/v1/evidence", worker, """
                {"kind":"PHOTO","title":"Photo","sha256":"%s","caseIds":["%s"],"capturedAt":{"date":"2020"}}"""
                .formatted("CD".repeat(32), created.json().get("id").asText()));
        assertThat(evidence.status()).as(evidence.toString()).isEqualTo(201);
        assertThat(evidence.json().get("capturedAt").get("date").asText()).isEqualTo("2020");
    }

    @Test
    void invalidPatchResultIsRefusedWithEveryFieldAndWritesNothing() {
        String caseId = createCase("Karen Sargsyan", "Կարեն Սարգսյան", "PRISONER_OF_WAR");
        List<Long> before = app.footprint();
        Reply refused = app.patch("/api/v1/cases/" + caseId, worker, "\"1\"",
                "{\"person\":{\"fullName\":null,\"birthDate\":\"2999\"},\"category\":null}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        List<String> fields = new ArrayList<>();
        refused.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).containsExactly("category", "person.fullName");
        assertThat(app.footprint()).isEqualTo(before);
    }

    @Test
    void forbiddenTransitionIsRefusedWithTheAllowedOnes() {
        String caseId = createCase("Levon Hakobyan", "Լևոն Հակոբյան", "PRISONER_OF_WAR");
        List<Long> before = app.footprint();
        Reply refused = app.post("/api/v1/cases/" + caseId + "/status-changes", worker, "{\"status\":\"SENTENCED\",\"effectiveDate\":\"2021\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("allowed").toString()).contains("DETENTION_CONFIRMED").doesNotContain("SENTENCED");
        assertThat(app.footprint()).isEqualTo(before);
    }

    @Test
    void statusChangeMayOnlyCiteEvidenceLinkedToTheCase() {
        String caseId = createCase("Gor Petrosyan", "Գոռ Պետրոսյան", "PRISONER_OF_WAR");
        String otherCase = createCase("Hayk Martirosyan", "Հայկ Մարտիրոսյան", "PRISONER_OF_WAR");
        String evidenceOfOther = addEvidence(otherCase);
        List<Long> before = app.footprint();
        Reply refused = app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"evidenceIds\":[\"" + evidenceOfOther + "\"]}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("evidenceIds[0]");
        assertThat(app.footprint()).isEqualTo(before);

        String staged = app.post("/api/v1/evidence", worker, """
                {"kind":"VIDEO","title":"Staged video","sha256":"%s","caseIds":["%s"],
                 "description":"a text that quotes \\"verificationStatus\\":\\"WITHDRAWN\\""}""".formatted("7a".repeat(32), caseId))
                .expect(201).json().get("id").asText();
        String cite = "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"evidenceIds\":[\"" + staged + "\"]}";
        app.patch("/api/v1/evidence/" + staged, worker, "\"1\"", "{\"verificationStatus\":\"WITHDRAWN\",\"reason\":\"found to be staged\"}").expect(200);
        before = app.footprint();
        Reply withdrawn = app.post("/api/v1/cases/" + caseId + "/status-changes", worker, cite);
        assertThat(withdrawn.status()).as("withdrawn evidence grounds no status change").isEqualTo(422);
        assertThat(withdrawn.json().get("errors").get(0).get("message").asText()).contains("withdrawn");
        assertThat(app.footprint()).isEqualTo(before);
        app.patch("/api/v1/evidence/" + staged, worker, "\"2\"", "{\"verificationStatus\":\"DISPUTED\",\"reason\":\"contested, not withdrawn\"}")
                .expect(200);
        assertThat(app.post("/api/v1/cases/" + caseId + "/status-changes", worker, cite).status())
                .as("disputed evidence may be cited, and a text quoting the status is not the status").isEqualTo(201);
    }

    @Test
    void searchIgnoresCaseAndDiacriticsAndPagesStably() {
        createCase("Élise Ñúñez-Hovsepyan", "Էլիզ Հովսեփյան", "CIVILIAN_DETAINEE");
        createCase("Сергей Мельников", "Сергей Мельников", "UNKNOWN");
        assertThat(app.get("/api/v1/cases?q=elise%20nunez", worker).json().get("total").asLong()).isEqualTo(1);
        assertThat(app.get("/api/v1/cases?q=%D1%81%D0%B5%D1%80%D0%B3%D0%B5%D0%B9", worker).json().get("total").asLong()).isEqualTo(1);
        assertThat(app.get("/api/v1/cases?q=%D5%80%D5%B8%D5%BE%D5%BD%D5%A5%D6%83", worker).json().get("total").asLong()).isEqualTo(1);
        assertThat(app.get("/api/v1/cases?q=100%25", worker).json().get("total").asLong()).isZero();
        assertThat(app.get("/api/v1/cases?category=UNKNOWN&q=melnikov", worker).json().get("total").asLong()).isZero();
        assertThat(app.get("/api/v1/cases?category=UNKNOWN&q=%D0%BC%D0%B5%D0%BB%D1%8C", worker).json().get("total").asLong()).isEqualTo(1);

        long total = app.get("/api/v1/cases", worker).json().get("total").asLong();
        List<String> paged = new ArrayList<>();
        for (int page = 0; page * 2 < total; page++) {
            app.get("/api/v1/cases?size=2&page=" + page, worker).json().get("items").forEach(item -> paged.add(item.get("reference").asText()));
        }
        assertThat(paged).hasSize((int) total).doesNotHaveDuplicates().isSorted();
        assertThat(app.get("/api/v1/cases?size=201", worker).status()).isEqualTo(422);
        assertThat(app.get("/api/v1/cases?status=LOST", worker).status()).isEqualTo(422);
    }

    @Test
    void evidenceNeedsADigestUnlessItIsTestimony() {
        String caseId = createCase("Narek Avetisyan", "Նարեկ Ավետիսյան", "PRISONER_OF_WAR");
        List<Long> before = app.footprint();
        Reply refused = app.post("/api/v1/evidence", worker, "{\"kind\":\"PHOTO\",\"title\":\"p\",\"caseIds\":[\"" + caseId + "\"]}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("sha256");
        assertThat(app.footprint()).isEqualTo(before);
        Reply testimony = app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"obtainedFrom\":\"a relative\",\"caseIds\":[\"" + caseId + "\"]}");
        assertThat(testimony.status()).isEqualTo(201);
        assertThat(testimony.json().get("verificationStatus").asText()).isEqualTo("UNVERIFIED");

        String evidenceId = testimony.json().get("id").asText();
        Reply verified = app.patch("/api/v1/evidence/" + evidenceId, worker, "\"1\"", "{\"verificationStatus\":\"VERIFIED\",\"reason\":\"checked\"}");
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("version").asLong()).isEqualTo(2);
        String second = createCase("Davit Ghazaryan", "Դավիթ Ղազարյան", "PRISONER_OF_WAR");
        assertThat(app.post("/api/v1/evidence/" + evidenceId + "/cases", worker, "{\"caseId\":\"" + second + "\"}").status()).isEqualTo(204);
        assertThat(app.post("/api/v1/evidence/" + evidenceId + "/cases", worker, "{\"caseId\":\"" + second + "\"}").status()).isEqualTo(409);
        assertThat(app.get("/api/v1/evidence/" + evidenceId, worker).json().get("caseIds")).hasSize(2);
        assertThat(app.get("/api/v1/evidence/" + evidenceId, lawyer).status()).isEqualTo(404);
        app.grant(second, lawyer);
        assertThat(app.get("/api/v1/evidence/" + evidenceId, lawyer).json().get("caseIds")).as("only the granted case is named")
                .hasSize(1).first().extracting(JsonNode::asText).isEqualTo(second);
    }

    @Test
    void evidenceLinkedByMistakeIsTakenOffTheCaseWithAReason() {
        String shown = createCase("Invented Shown Person", "", "PRISONER_OF_WAR");
        String wrong = createCase("Invented Wrong Person", "", "PRISONER_OF_WAR");
        String unrelated = createCase("Invented Unrelated Person", "", "PRISONER_OF_WAR");
        String evidenceId = addEvidence(shown);
        String path = "/api/v1/evidence/" + evidenceId + "/cases/";
        assertThat(app.post("/api/v1/evidence/" + evidenceId + "/cases", worker, "{\"caseId\":\"" + wrong + "\"}").status()).isEqualTo(204);
        app.grant(wrong, lawyer);
        assertThat(app.get("/api/v1/evidence/" + evidenceId, lawyer).status()).isEqualTo(200);
        String reason = "{\"reason\":\"The video shows someone else\"}";

        List<Long> before = app.footprint();
        assertThat(app.delete(path + wrong, worker, "{}").status()).as("no reason").isEqualTo(422);
        assertThat(app.delete(path + wrong, worker, "{\"reason\":\"  \"}").status()).as("a blank reason").isEqualTo(422);
        assertThat(app.delete(path + wrong, worker).status()).as("no body").isIn(400, 422);
        assertThat(app.delete(path + wrong, lawyer, reason).status()).as("lawyers read").isEqualTo(403);
        assertThat(app.delete(path + unrelated, worker, reason).status()).as("not linked to that case").isEqualTo(404);
        assertThat(app.delete(path + "0190a0b0-0000-7000-8000-000000000000", worker, reason).status()).isEqualTo(404);
        assertThat(app.delete(path + "not-a-uuid", worker, reason).status()).isEqualTo(404);
        assertThat(app.delete("/api/v1/evidence/0190a0b0-0000-7000-8000-000000000000/cases/" + wrong, worker, reason).status()).isEqualTo(404);
        assertThat(app.footprint()).as("a refused request writes nothing").isEqualTo(before);

        Reply unlinked = app.delete(path + wrong, worker, reason);
        assertThat(unlinked.status()).as(unlinked.toString()).isEqualTo(204);
        assertThat(unlinked.header("Log-Index")).isNotNull();
        assertThat(app.get("/api/v1/evidence/" + evidenceId, worker).json().get("caseIds")).hasSize(1)
                .first().extracting(JsonNode::asText).isEqualTo(shown);
        assertThat(app.get("/api/v1/cases/" + wrong + "/evidence", worker).json().get("items")).isEmpty();
        assertThat(app.get("/api/v1/evidence/" + evidenceId, lawyer).status()).as("the wrong case's lawyer no longer sees it").isEqualTo(404);
        JsonNode history = app.get("/api/v1/cases/" + wrong + "/history", worker).json().get("items");
        JsonNode removal = null;
        for (JsonNode item : history) {
            removal = item.get("entry").get("action").asText().equals("evidence.unlinked") ? item : removal;
        }
        assertThat(removal).as("the removal is in the case's history").isNotNull();
        assertThat(removal.get("payload").get("reason").asText()).isEqualTo("The video shows someone else");
        assertThat(history.toString()).as("the link stays in the history").contains("evidence.linked");
        assertThat(app.delete(path + wrong, worker, reason).status()).as("already taken off").isEqualTo(404);

        before = app.footprint();
        Reply onlyCase = app.delete(path + shown, worker, reason);
        assertThat(onlyCase.status()).as("an item keeps one case: with none, every case worker would see it").isEqualTo(409);
        assertThat(onlyCase.json().get("detail").asText()).contains("only case");
        assertThat(app.footprint()).isEqualTo(before);
        assertThat(app.post("/api/v1/evidence/" + evidenceId + "/cases", worker, "{\"caseId\":\"" + unrelated + "\"}").status()).isEqualTo(204);
        assertThat(app.post("/api/v1/cases/" + unrelated + "/status-changes", worker, "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2020-12\","
                + "\"reason\":\"seen in the video\",\"evidenceIds\":[\"" + evidenceId + "\"]}").status()).isEqualTo(201);
        before = app.footprint();
        Reply cited = app.delete(path + unrelated, worker, reason);
        assertThat(cited.status()).as("the case's timeline cites it").isEqualTo(409);
        assertThat(cited.json().get("detail").asText()).contains("status change");
        assertThat(app.footprint()).isEqualTo(before);
        assertThat(app.delete(path + shown, worker, reason).status()).as("taken off the first case, it stays on the cited one").isEqualTo(204);
        assertThat(app.verifyLog().problems()).as("verify-log replays the removals").isEmpty();
    }

    @Test
    void aCaseIsFoundByItsReference() {
        String caseId = createCase("Invented Reference Search", "", "CIVILIAN_DETAINEE");
        String reference = app.get("/api/v1/cases/" + caseId, worker).json().get("reference").asText();
        for (String asked : List.of(reference, " " + reference.toLowerCase(Locale.ROOT) + " ")) {
            JsonNode found = app.get("/api/v1/cases?q=" + java.net.URLEncoder.encode(asked, StandardCharsets.UTF_8), worker).json();
            assertThat(found.get("total").asLong()).as(asked).isEqualTo(1);
            assertThat(found.get("items").get(0).get("id").asText()).isEqualTo(caseId);
        }
        assertThat(app.get("/api/v1/cases?category=PRISONER_OF_WAR&q=" + reference, worker).json().get("total").asLong())
                .as("the other filters still apply").isZero();
        assertThat(app.get("/api/v1/cases?q=" + reference, lawyer).json().get("total").asLong()).as("only a case the reader may see").isZero();
        assertThat(app.get("/api/v1/cases?q=" + reference.substring(0, reference.length() - 1), worker).json().get("total").asLong())
                .as("a reference matches whole").isZero();
    }

    @Test
    void evidenceIsFoundByItsOriginalsDigest() {
        String caseId = createCase("Invented Digest Search", "", "PRISONER_OF_WAR");
        String digest = "5e".repeat(32);
        List<String> same = new ArrayList<>();
        for (String title : List.of("Video as first posted", "The same video, reposted")) {
            same.add(app.post("/api/v1/evidence", worker, """
                    {"kind":"VIDEO","title":"%s","sha256":"%s","caseIds":["%s"]}""".formatted(title, digest.toUpperCase(Locale.ROOT), caseId))
                    .expect(201).json().get("id").asText());
        }
        app.post("/api/v1/evidence", worker, """
                {"kind":"VIDEO","title":"Another video","sha256":"%s","caseIds":["%s"],"description":"\\"sha256\\":\\"%s\\""}"""
                .formatted("6f".repeat(32), caseId, digest)).expect(201);

        JsonNode found = app.get("/api/v1/evidence?sha256=" + digest.toUpperCase(Locale.ROOT), worker).json();
        assertThat(found.get("total").asLong()).as("the digest in a description is not the item's digest").isEqualTo(2);
        List<String> ids = new ArrayList<>();
        found.get("items").forEach(item -> ids.add(item.get("id").asText()));
        assertThat(ids).containsExactlyElementsOf(same);
        assertThat(app.get("/api/v1/evidence?sha256=" + "70".repeat(32), worker).json().get("total").asLong()).isZero();
        assertThat(app.get("/api/v1/evidence?sha256=" + digest, lawyer).json().get("total").asLong()).as("only what the reader may see").isZero();
        for (String bad : List.of("5e", "g".repeat(64), "%25" + "5e".repeat(31) + "%25")) {
            Reply refused = app.get("/api/v1/evidence?sha256=" + bad, worker);
            assertThat(refused.status()).as(bad).isEqualTo(422);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("sha256");
        }
    }

    @Test
    void changingAnEvidenceDigestNeedsAReason() {
        String caseId = createCase("Invented Digest Case", "", "PRISONER_OF_WAR");
        String evidenceId = addEvidence(caseId);
        String path = "/api/v1/evidence/" + evidenceId;
        List<Long> before = app.footprint();
        for (String body : List.of("{\"sha256\":\"" + "ef".repeat(32) + "\"}", "{\"sha256\":\"" + "ef".repeat(32) + "\",\"reason\":\" \"}",
                "{\"kind\":\"TESTIMONY\",\"sha256\":null}")) {
            Reply refused = app.patch(path, worker, "\"1\"", body);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("reason");
        }
        assertThat(app.footprint()).isEqualTo(before);
        assertThat(app.patch(path, worker, "\"1\"", "{\"sha256\":\"" + "AB".repeat(32) + "\",\"title\":\"Renamed\"}").status())
                .as("the same digest in capitals is no change").isEqualTo(200);
        Reply corrected = app.patch(path, worker, "\"2\"", "{\"sha256\":\"" + "ef".repeat(32) + "\",\"reason\":\"digest mistyped at registration\"}");
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        assertThat(corrected.json().get("sha256").asText()).isEqualTo("ef".repeat(32));
        JsonNode history = app.get("/api/v1/cases/" + caseId + "/history", worker).json().get("items").get(0);
        assertThat(history.get("payload").get("reason").asText()).isEqualTo("digest mistyped at registration");
    }

    @Test
    void rolesDecideWhoMayDoWhat() {
        assertThat(app.get("/api/v1/cases", null).status()).isEqualTo(401);
        assertThat(app.get("/api/v1/cases", "not-a-token").status()).isEqualTo(401);
        assertThat(app.post("/api/v1/cases", lawyer, "{}").status()).isEqualTo(403);
        assertThat(app.get("/api/v1/cases", app.adminToken()).status()).isEqualTo(403);
        assertThat(app.get("/api/v1/users", worker).status()).isEqualTo(403);
        Reply users = app.get("/api/v1/users", app.adminToken());
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.body()).contains("\"worker\"").doesNotContain("argon2").doesNotContain("password");
        long total = users.json().get("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(3);
        List<String> names = new ArrayList<>();
        for (int page = 0; page < total; page++) {
            JsonNode one = app.get("/api/v1/users?size=1&page=" + page, app.adminToken()).json();
            assertThat(one.get("items")).hasSize(1);
            names.add(one.get("items").get(0).get("username").asText());
        }
        assertThat(names).as("a page at a time, by user name").isSorted().contains("admin", "worker", "lawyer").doesNotHaveDuplicates();
    }

    @Test
    void wrongCredentialsGetTheSameAnswerWhetherOrNotTheUserExistsAndAreLogged() {
        long before = app.logSize();
        Reply wrongPassword = app.post("/api/v1/sessions", null, TestApp.json("username", "worker", "password", "not the password"));
        Reply unknownUser = app.post("/api/v1/sessions", null, TestApp.json("username", "nobody-here", "password", "not the password"));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(wrongPassword.body()).isEqualTo(unknownUser.body());
        assertThat(app.logSize()).isEqualTo(before + 2);
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry WHERE action = 'auth.sign_in_failed'")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void signingOutEndsTheSession() {
        app.userWithRoles("leaving", "LAWYER");
        String token = app.signIn("leaving", TestApp.USER_PASSWORD);
        assertThat(app.get("/api/v1/cases", token).status()).isEqualTo(200);
        Reply signedOut = app.send("DELETE", "/api/v1/sessions/current", token, null, null);
        assertThat(signedOut.status()).isEqualTo(204);
        assertThat(signedOut.header("Log-Index")).isNotNull();
        assertThat(app.get("/api/v1/cases", token).status()).isEqualTo(401);
    }

    @Test
    void logIndexesAreGaplessAndEveryEntryHasItsPayload() {
        long size = app.logSize();
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_entry")).isEqualTo(size);
        assertThat(app.queryLong("SELECT MAX(idx) FROM log_entry")).isEqualTo(size - 1);
        assertThat(app.queryLong("SELECT COUNT(*) FROM log_payload")).isEqualTo(size);
    }
}
