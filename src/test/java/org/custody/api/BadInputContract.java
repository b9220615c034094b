package org.custody.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad input for every endpoint family: each must get a problem+json 4xx naming the problem, and write nothing
 * (checked after every test by comparing row counts of every table).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputContract {
    TestApp app;
    String worker;
    String caseId;
    String evidenceId;
    List<Long> footprint;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database());
        worker = app.userWithRoles("worker", "CASE_WORKER");
        caseId = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Test Person\"},\"category\":\"UNKNOWN\"}").json().get("id").asText();
        evidenceId = app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"caseIds\":[\"" + caseId + "\"]}")
                .json().get("id").asText();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @BeforeEach
    void rememberFootprint() {
        footprint = app.footprint();
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(app.footprint()).as("row counts of every table").isEqualTo(footprint);
    }

    private static void assertProblem(Reply reply, int status, String detailOrFieldFragment) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.body()).contains(detailOrFieldFragment).doesNotContain("Exception").doesNotContain("SELECT").doesNotContain("jdbi");
    }

    @Test
    void theNulCharacterIsRefusedInEveryTextField() {
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"reason\":\"a\\u0000b\"}"), 400, "NUL character");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"a\\u0000b\"},\"category\":\"UNKNOWN\"}"), 400,
                "person.fullName");
        assertProblem(app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker,
                "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"\\u0000\"}"), 400, "NUL character");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"ok\",\"reason\":\"a\\u0000b\"}"), 400, "reason");
    }

    /**
     * A UTF-16 surrogate without its pair is no character: neither database nor the log's canonical JSON can hold it.
     * It was a 500 once the service tried to store it; it is refused at the edge, naming the field, wherever text goes.
     */
    @Test
    void anUnpairedSurrogateIsRefusedInEveryTextField() {
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"a\\ud800b\"},\"category\":\"UNKNOWN\"}"), 400,
                "person.fullName");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"a\\udc00\"},\"category\":\"UNKNOWN\"}"), 400, "U+DC00");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"\\ud83d\"}"), 400, "summary");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"ok\",\"reason\":\"\\ude00\"}"), 400, "reason");
        assertProblem(app.patch("/api/v1/evidence/" + evidenceId, worker, "\"1\"", "{\"title\":\"\\udfff\"}"), 400, "title");
        assertProblem(app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker,
                "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"\\ud800\"}"), 400, "without its pair");
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"reason\":\"\\ud800\"}"), 400, "reason");
        assertThat(app.footprint()).as("refusals write nothing").isEqualTo(footprint);
        assertThat(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented \\ud83d\\ude00 Pair\"},\"category\":\"UNKNOWN\"}")
                .status()).as("a surrogate pair is one character, and welcome").isEqualTo(201);
        footprint = app.footprint(); // the one write this test makes on purpose
    }

    @Test
    void pathsJettyRefusesBeforeAnyResourceStillGetAProblem() {
        for (String path : List.of("/api/v1/cases/..%2F..%2Fetc", "/api/v1/cases/a%2Fb/status-changes", "/api/v1/evidence/%00")) {
            Reply reply = app.send(app.request(path, worker).method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").header("If-Match", "\"1\""));
            assertProblem(reply, 400, "refused before it reached the service");
        }
    }

    @Test
    void malformedJsonIsRefusedEverywhere() {
        for (String path : List.of("/api/v1/cases", "/api/v1/evidence", "/api/v1/users", "/api/v1/sessions",
                "/api/v1/cases/" + caseId + "/status-changes", "/api/v1/evidence/" + evidenceId + "/custody-events")) {
            String token = path.equals("/api/v1/users") ? app.adminToken() : worker;
            assertProblem(app.post(path, token, "{\"person\": "), 400, "not valid JSON");
        }
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{]"), 400, "not valid JSON");
    }

    @Test
    void unknownFieldsWrongTypesAndUnknownEnumValuesNameTheField() {
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\",\"nickname\":\"B\"},\"category\":\"UNKNOWN\"}"), 400, "person.nickname");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":42},\"category\":\"UNKNOWN\"}"), 400, "person.fullName");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\"},\"category\":\"SPY\"}"), 400, "CIVILIAN_DETAINEE");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\",\"birthDate\":\"2020-13\"},\"category\":\"UNKNOWN\"}"), 400, "person.birthDate");
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker, "{\"status\":\"GONE\",\"effectiveDate\":\"2020\"}"), 400, "status");
        assertProblem(app.post("/api/v1/evidence", worker, "{\"kind\":\"VIDEO\",\"title\":\"v\",\"sha256\":\"xyz\"}"), 400, "64 hexadecimal");
        assertProblem(app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker, "{\"action\":\"RECEIVED\",\"performedAt\":\"yesterday\"}"), 400, "performedAt");
        assertProblem(app.post("/api/v1/users", app.adminToken(), "{\"username\":\"x1\",\"displayName\":\"X\",\"password\":\"a long test password\",\"roles\":[\"ROOT\"]}"), 400, "roles");
        assertProblem(app.post("/api/v1/cases", worker, "[1,2]"), 400, "body");
    }

    /** An enum value is a constant's exact name, in a body as in a query parameter; nothing near it is guessed. */
    @Test
    void enumValuesAreExactNames() {
        for (String near : List.of("unknown", "Unknown", " UNKNOWN", "UN KNOWN", "UNKNOWN ", "")) {
            assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\"},\"category\":\"" + near + "\"}"), 400,
                    "must be one of [CIVILIAN_DETAINEE, PRISONER_OF_WAR, UNKNOWN]");
        }
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker, "{\"status\":\"detention_confirmed\",\"effectiveDate\":\"2020\"}"),
                400, "status");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\"},\"category\":2}"), 400, "expected a string");
        assertProblem(app.post("/api/v1/users", app.adminToken(),
                "{\"username\":\"x2\",\"displayName\":\"X\",\"password\":\"a long test password\",\"roles\":[\"lawyer\"]}"), 400, "roles");
    }

    /** A body sent as gzip that is not gzip was a 500 from Jetty's decoder; it is the client's mistake, a 400. */
    @Test
    void aBodyThatIsNotWhatItsContentEncodingSaysIsRefused() {
        Reply reply = app.send(app.request("/api/v1/cases", worker).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{\"person\":{\"fullName\":\"Invented\"},\"category\":\"UNKNOWN\"}")));
        assertProblem(reply, 400, "Content-Encoding");
    }

    /**
     * A gzip body is held to the limit as it decodes: a few kilobytes that decode past a mebibyte
     * were read whole (a megabyte of gzip decodes to a gigabyte, seconds of a core for one anonymous request).
     */
    @Test
    void aCompressedBodyIsHeldToTheLimitOnceDecoded() {
        byte[] bomb = TestApp.gzip("{\"person\":{\"fullName\":\"A\"},\"category\":\"UNKNOWN\",\"summary\":\"" + " ".repeat(1_100_000) + "\"}");
        assertThat(bomb.length).isLessThan(10_000);
        // (its decoded size is known only once it is read, so one sent where nothing reads it is answered as if it were small)
        for (String[] request : new String[][] {{"/api/v1/cases", worker}, {"/api/v1/sessions", null}, {"/api/v1/users", app.adminToken()}}) {
            assertProblem(app.send(app.request(request[0], request[1]).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bomb))), 413, "larger than");
            HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(subscriber -> HttpRequest.BodyPublishers.ofByteArray(bomb).subscribe(subscriber));
            assertProblem(app.send(app.request(request[0], request[1]).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .POST(chunked)), 413, "larger than");
        }
    }

    /** Jetty decodes gzip alone; a body in any other coding was read as if it had none (RFC 9110: 415, and which codings are accepted). */
    @Test
    void aBodyInACodingNotDecodedHereIsRefusedWith415() {
        String body = "{\"person\":{\"fullName\":\"Invented\"},\"category\":\"UNKNOWN\"}";
        for (String coding : List.of("br", "deflate", "compress", "zstd", "deflate, gzip", "gzip, gzip")) {
            byte[] bytes = coding.endsWith("gzip") ? TestApp.gzip(body) : body.getBytes(StandardCharsets.UTF_8);
            Reply reply = app.send(app.request("/api/v1/cases", worker).header("Content-Type", "application/json").header("Content-Encoding", coding)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
            assertProblem(reply, 415, "Content-Encoding");
            assertThat(reply.header("Accept-Encoding")).isEqualTo("gzip");
        }
    }

    /**
     * A body is held to a number of values as well as bytes: a mebibyte of {@code "a",} is 260,000 strings to parse
     * and validate, tens of megabytes of the heap for one request (README, "Bodies of many small values").
     */
    @Test
    void aBodyOfMoreValuesThanAnyRequestNeedsIsRefusedWith413() {
        String tooMany = "{\"person\":{\"fullName\":\"A\",\"otherNames\":[" + String.join(",", java.util.Collections.nCopies(10_000, "\"a\""))
                + "]},\"category\":\"UNKNOWN\"}";
        assertProblem(app.post("/api/v1/cases", worker, tooMany), 413, "more than 10000 values");
        assertProblem(app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"caseIds\":[" + "{},".repeat(10_000) + "{}]}"), 413,
                "more than 10000 values");
        assertProblem(app.send(app.request("/api/v1/cases", worker).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestApp.gzip(tooMany)))), 413, "more than 10000 values");
        // within the count, the list is refused by its own bound, naming it
        String fewer = "{\"person\":{\"fullName\":\"A\",\"otherNames\":[" + String.join(",", java.util.Collections.nCopies(9_990, "\"a\""))
                + "]},\"category\":\"UNKNOWN\"}";
        assertProblem(app.post("/api/v1/cases", worker, fewer), 422, "person.otherNames");
    }

    /**
     * Jetty undoes chunked framing alone; a body also in another transfer coding was read as if it had none. And an empty
     * Content-Encoding, or identity, is no coding at all.
     */
    @Test
    void aTransferCodingBesidesChunkedIsRefusedAndAnEmptyContentCodingIsNone() throws Exception {
        byte[] gzipped = TestApp.gzip("{\"username\":\"nobody\",\"password\":\"not a password\"}");
        String answer = rawPost("Transfer-Encoding: gzip, chunked\r\n", (Integer.toHexString(gzipped.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                gzipped, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json").contains("Connection: close")
                .contains("\"type\":\"/problems/unsupported-transfer-encoding\"");
        long size = app.logSize();
        for (String coding : List.of("", "identity", " , identity")) {
            byte[] body = "{\"username\":\"nobody\",\"password\":\"not a password\"}".getBytes(StandardCharsets.UTF_8);
            String plain = rawPost("Content-Encoding:" + coding + "\r\nContent-Length: " + body.length + "\r\n", body);
            assertThat(plain).as("Content-Encoding: '%s'", coding).startsWith("HTTP/1.1 401 ");
        }
        // each failed sign-in is an entry of its own (auth.sign_in_failed), and a row of the attempts' table; nothing else
        assertThat(app.logSize()).isEqualTo(size + 3);
        footprint = app.footprint();
    }

    /** A sign-in sent over a socket of its own, with the headers and body bytes given; the answer's head and body. */
    private String rawPost(String headers, byte[]... body) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", app.port())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (byte[] part : body) {
                out.write(part);
            }
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A field named twice in one object is refused: Jackson kept the last, so the first status below was recorded as a death. */
    @Test
    void aFieldNamedTwiceIsRefusedAsAmbiguous() {
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                "{\"status\":\"DETENTION_CONFIRMED\",\"status\":\"DECEASED\",\"effectiveDate\":\"2021\"}"), 400, "names a field twice");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\",\"fullName\":\"B\"},\"category\":\"UNKNOWN\"}"), 400,
                "names a field twice");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"a\",\"summary\":\"b\"}"), 400, "names a field twice");
        assertProblem(app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"t\",\"title\":\"u\"}"), 400, "names a field twice");
    }

    /** A display name, shown as who read a record, cannot carry a line break or text that displays in another order. */
    @Test
    void displayNamesRefuseControlCharactersAndBidirectionalOverrides() {
        String admin = app.adminToken();
        for (String name : List.of("Invented\\u202Eevil", "Invented\\u2066Name", "Invented\\nName", "Invented\\u0007")) {
            assertProblem(app.post("/api/v1/users", admin, "{\"username\":\"plain.name\",\"displayName\":\"" + name
                    + "\",\"password\":\"a long test password\",\"roles\":[\"LAWYER\"]}"), 422, "displayName");
            Reply patched = app.send("PATCH", "/api/v1/users/" + app.userId(worker), admin,
                    ("{\"displayName\":\"" + name + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
            assertProblem(patched, 422, "bidirectional overrides");
        }
    }

    /**
     * Text that reaches listings, spreadsheets and a court's documents carries no control character (line breaks and tabs
     * only where text has lines) and no bidirectional override, which would make a name or a reference read as another.
     */
    @Test
    void recordTextRefusesControlCharactersAndBidirectionalOverrides() {
        String line = "must be one line, without control characters or bidirectional overrides";
        String lines = "must not contain control characters other than line breaks and tabs, or bidirectional overrides";
        for (String name : List.of("Invented\\u202Eevil", "Invented\\u2066Name", "Invented\\nName", "Invented\\tName", "Invented\\u0007", "Invented\\u0085")) {
            Reply created = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"" + name + "\"},\"category\":\"UNKNOWN\"}");
            assertProblem(created, 422, line);
            assertThat(created.json().get("errors").get(0).get("field").asText()).isEqualTo("person.fullName");
        }
        Reply otherName = app.post("/api/v1/cases", worker,
                "{\"person\":{\"fullName\":\"Invented Person\",\"otherNames\":[\"Plain\",\"C-2026-\\u202E240000\"]},\"category\":\"UNKNOWN\"}");
        assertProblem(otherName, 422, "person.otherNames[1]");
        Reply escape = app.post("/api/v1/cases", worker,
                "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\",\"summary\":\"seen\\u001b[2Jgone\"}");
        assertProblem(escape, 422, lines);
        assertThat(escape.json().get("errors").get(0).get("field").asText()).isEqualTo("summary");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"detention\":{\"placesOfDetention\":[\"a\\nb\"]}}"), 422,
                "detention.placesOfDetention[0]");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"summary\":\"ok\",\"reason\":\"a\\u202Eb\"}"), 422, lines);
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker,
                "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"reason\":\"a\\u0007b\"}"), 422, lines);
        assertProblem(app.post("/api/v1/evidence", worker, "{\"kind\":\"TESTIMONY\",\"title\":\"a\\nb\",\"caseIds\":[\"" + caseId + "\"]}"), 422, "title");
        assertProblem(app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker,
                "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"\\u2069\"}"), 422, lines);
        assertProblem(app.post("/api/v1/exports", worker, "{\"caseIds\":[\"" + caseId + "\"],\"purpose\":\"court\\u202E\"}"), 422, "purpose");
    }

    /** A value of the wrong form is named with the form it must have, never as "an object". */
    @Test
    void identifiersAndInstantsOfTheWrongFormSayWhatFormIsExpected() {
        assertProblem(app.post("/api/v1/evidence/" + evidenceId + "/cases", worker, "{\"caseId\":\"not-a-uuid\"}"), 400, "a UUID such as");
        Reply export = app.post("/api/v1/exports", worker, "{\"caseIds\":[\"x\"],\"purpose\":\"court\"}");
        assertProblem(export, 400, "caseIds[0]");
        assertThat(export.body()).contains("a UUID such as");
        Reply instant = app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker, "{\"action\":\"RECEIVED\",\"performedAt\":\"yesterday\"}");
        assertProblem(instant, 400, "date and time with its offset, such as");
        assertThat(instant.body()).doesNotContain("an object");
    }

    /**
     * An instant is text with its offset in the years 1000–9999: a number is not read as seconds since 1970 (1e400 was
     * stored as 1970 itself) and years no custody event or grant can mean are refused at the edge, on both databases alike.
     */
    @Test
    void instantsAreTextWithAnOffsetInTheYears1000To9999() {
        String events = "/api/v1/evidence/" + evidenceId + "/custody-events";
        for (String number : List.of("1.5", "1e400", "-1e400", "1609459200")) {
            assertProblem(app.post(events, worker, "{\"action\":\"RECEIVED\",\"performedAt\":" + number + "}"), 400, "date and time with its offset");
        }
        for (String outOfRange : List.of("-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "0999-12-31T23:59:59Z")) {
            assertProblem(app.post(events, worker, "{\"action\":\"RECEIVED\",\"performedAt\":\"" + outOfRange + "\"}"), 400, "years 1000 to 9999");
        }
        assertProblem(app.post(events, worker, "{\"action\":\"RECEIVED\",\"performedAt\":\"2020-10-27T14:30:00\"}"), 400, "with its offset");
        assertProblem(app.post("/api/v1/cases/" + caseId + "/grants", app.adminToken(),
                "{\"userId\":\"" + app.userId(worker) + "\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\",\"reason\":\"r\"}"), 400, "years 1000 to 9999");
    }

    /** A null where a list wants a value is named by its place in the list, not reported as the whole body. */
    @Test
    void nullElementsOfListsAreNamedByTheirPlace() {
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\",\"otherNames\":[\"B\",null]},\"category\":\"UNKNOWN\"}"), 422,
                "person.otherNames[1]");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\"},\"category\":\"UNKNOWN\",\"detention\":{\"placesOfDetention\":[null]}}"),
                422, "detention.placesOfDetention[0]");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\"},\"category\":\"UNKNOWN\",\"proceedings\":{\"hearingDates\":[null]}}"),
                422, "proceedings.hearingDates[0]");
        assertProblem(app.post("/api/v1/cases/" + caseId + "/status-changes", worker, "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\",\"evidenceIds\":[null]}"),
                422, "evidenceIds[0]");
    }

    @Test
    void validationListsEveryOffendingField() {
        Reply reply = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"" + "x".repeat(301) + "\",\"otherNames\":[\"\"]},\"summary\":\"ok\"}");
        assertProblem(reply, 422, "person.fullName");
        assertThat(reply.body()).contains("person.otherNames[0]").contains("category");
        assertProblem(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"A\",\"birthDate\":\"2999\"},\"category\":\"UNKNOWN\"}"), 422, "future");
        assertProblem(app.post("/api/v1/users", app.adminToken(), "{\"username\":\"Bad Name\",\"displayName\":\"\",\"password\":\"short\",\"roles\":[]}"), 422, "username");
        assertProblem(app.post("/api/v1/cases", worker, null), 422, "body");
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedWith413() {
        String huge = "{\"person\":{\"fullName\":\"A\"},\"category\":\"UNKNOWN\",\"summary\":\"" + "x".repeat(1_100_000) + "\"}";
        assertProblem(app.post("/api/v1/cases", worker, huge), 413, "larger than");
        byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(subscriber -> HttpRequest.BodyPublishers.ofByteArray(bytes).subscribe(subscriber));
        Reply reply = app.send(app.request("/api/v1/cases", worker).POST(chunked).header("Content-Type", "application/json"));
        assertProblem(reply, 413, "larger than");
    }

    @Test
    void anOversizedBodyIsAnsweredWithAProblemWhateverElseIsWrongWithTheRequest() {
        byte[] huge = ("{\"summary\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 5; round++) {
            // the body is refused before the request is matched, so the client, still sending, reads the answer
            assertProblem(app.send("POST", "/api/v1/cases", worker, huge, "text/plain"), 413, "larger than");
            assertProblem(app.send("PUT", "/api/v1/cases", worker, huge, "application/json"), 413, "larger than");
            assertProblem(app.send("POST", "/api/v1/no-such-thing", worker, huge, "application/json"), 413, "larger than");
            assertProblem(app.send("PATCH", "/api/v1/cases/not-a-uuid", worker, huge, "application/json"), 413, "larger than");
            assertProblem(app.send("POST", "/api/v1/cases", null, huge, "application/json"), 413, "larger than");
            // refused by Jetty before the application sees it: Jetty closes the connection, and the answer must say so,
            // or the client sends its next request down a closed connection (a small body here: Jetty fails such a
            // request before its body can be read, so a client still sending a large one may see the connection reset)
            Reply refused = app.send("POST", "/api/v1/cases/%00/status-changes", worker, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            assertProblem(refused, 400, "refused before");
            assertThat(refused.header("Connection")).isEqualTo("close");
            // a client that announces a large body (Expect: 100-continue, as curl does past 1 MiB) gets the answer before it
            // sends the body, so nothing is reset (Java 17's HttpClient waits forever for a 100 here, hence the socket)
            assertThat(announcedBodyAnswer("/api/v1/cases/%00/status-changes", huge.length)).startsWith("HTTP/1.1 400 ")
                    .contains("Content-Type: application/problem+json").contains("Connection: close").contains("refused before");
        }
    }

    @Test
    void aBodyAnAnswerDidNotNeedIsReadFirstSoTheConnectionServesTheNextRequest() throws Exception {
        byte[] body = ("{\"title\":\"" + "x".repeat(40_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        // answered before the body matters: an id in the path that is none, and no token
        for (String[] request : new String[][] {{"PATCH", "/api/v1/evidence/not-a-uuid", worker}, {"POST", "/api/v1/cases", null}}) {
            try (java.net.Socket socket = new java.net.Socket("localhost", app.port())) {
                socket.setSoTimeout(10_000);
                java.io.OutputStream out = socket.getOutputStream();
                out.write((request[0] + " " + request[1] + " HTTP/1.1\r\nHost: localhost\r\n" + (request[2] == null ? "" : "Authorization: Bearer " + request[2] + "\r\n")
                        + "If-Match: \"1\"\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 1_000);
                out.flush();
                Thread.sleep(300); // the answer can be ready now, with most of the body still to come
                out.write(body, 1_000, body.length - 1_000);
                out.write("GET /api/v1/log/checkpoint HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answers).as(request[1]).startsWith(request[2] == null ? "HTTP/1.1 401 " : "HTTP/1.1 404 ");
                assertThat(answers.indexOf("HTTP/1.1 200 ", 1)).as("the next request on the same connection was answered: %s", answers).isPositive();
            }
        }
    }

    /** Sends a POST's head announcing a body of {@code length} bytes and reads what the server answers before the body. */
    private String announcedBodyAnswer(String path, int length) {
        try (java.net.Socket socket = new java.net.Socket("localhost", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + worker
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = "{\"person\":{\"fullName\":\"A\uFFFD\"},\"category\":\"UNKNOWN\"}".getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf('A') + 1;
        body[at] = (byte) 0xC3;
        body[at + 1] = (byte) 0x28;
        assertProblem(app.send("POST", "/api/v1/cases", worker, body, "application/json"), 400, "UTF-8");
    }

    /** JSON in UTF-16 or UTF-32, which Jackson would read, means one thing to the service and another to a UTF-8 reader in front of it. */
    @Test
    void jsonInAnotherUnicodeEncodingIsRefused() {
        String json = "{\"person\":{\"fullName\":\"Invented Sixteen\"},\"category\":\"UNKNOWN\"}";
        for (java.nio.charset.Charset encoding : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16,
                java.nio.charset.Charset.forName("UTF-32LE"), java.nio.charset.Charset.forName("UTF-32BE"))) {
            assertProblem(app.send("POST", "/api/v1/cases", worker, json.getBytes(encoding), "application/json"), 400, "UTF-8");
        }
        assertProblem(app.send("PATCH", "/api/v1/users/" + app.userId(worker), app.adminToken(),
                "{\"displayName\":\"x\"}".getBytes(StandardCharsets.UTF_16LE), "application/merge-patch+json"), 400, "UTF-8");
        assertProblem(app.send("POST", "/api/v1/sessions", null, "{\"username\":\"worker\",\"password\":\"x\"}".getBytes(StandardCharsets.UTF_16BE),
                "application/json"), 400, "UTF-8");
    }

    @Test
    void unexpectedMediaTypesMethodsAndPathsAreRefused() {
        assertProblem(app.send("POST", "/api/v1/cases", worker, "person=x".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"), 415, "media type");
        assertProblem(app.send("PUT", "/api/v1/cases", worker, "{}".getBytes(StandardCharsets.UTF_8), "application/json"), 405, "not allowed");
        assertProblem(app.get("/api/v1/cases/not-a-uuid", worker), 404, "No such");
        assertProblem(app.get("/api/v1/cases/" + java.util.UUID.randomUUID(), worker), 404, "Case not found");
        assertProblem(app.get("/api/v1/nowhere", worker), 404, "No such");
    }

    @Test
    void badPreconditionsAndPatchesAreRefused() {
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "W/\"1\"", "{\"summary\":\"x\"}"), 422, "If-Match");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"01\"", "{\"summary\":\"x\"}"), 422, "If-Match");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{}"), 422, "names no field");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"reason\":\"only a reason\"}"), 422, "names no field");
        assertProblem(app.patch("/api/v1/cases/" + caseId, worker, "\"1\"", "{\"id\":\"x\"}"), 400, "is not a known field");
        assertProblem(app.patch("/api/v1/evidence/" + evidenceId, worker, "\"1\"", "{\"caseIds\":[]}"), 422, "caseIds");
        assertProblem(app.patch("/api/v1/evidence/" + evidenceId, worker, null, "{\"title\":\"x\"}"), 428, "If-Match");
    }

    @Test
    void hostileTextIsStoredVerbatimNotExecuted() {
        String hostile = "Robert'); DROP TABLE cases;-- <script>alert(1)</script> \\u0000";
        Reply created = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":" + TestApp.MAPPER.valueToTree(hostile) + "},\"category\":\"UNKNOWN\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("person").get("fullName").asText()).isEqualTo(hostile);
        assertThat(app.get("/api/v1/cases?q=" + java.net.URLEncoder.encode("drop table", StandardCharsets.UTF_8), worker).json().get("total").asLong()).isEqualTo(1);
        footprint = app.footprint();
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "{\"person\":{\"fullName\":\"A\"},\"category\":\"UNKNOWN\",\"summary\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        Reply reply = app.post("/api/v1/cases", worker, deep);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    }

}
