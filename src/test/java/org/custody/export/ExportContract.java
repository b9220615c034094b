package org.custody.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.custody.audit.Findings;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.KeyFiles;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.SignedNote;
import org.custody.support.Bundles;
import org.custody.support.Commands;
import org.custody.support.TestApp;
import org.custody.support.TestApp.Reply;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lawyer's export from request to verification by a stranger: the API, the bundle, the standard tools, the verifier,
 * and every way of tampering with a bundle the issue names, each caught with a precise message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExportContract {
    static final String ARMENIAN = "Արամ Վարդանյան";
    static final String RUSSIAN = "Сергей Петросян";
    static final ObjectMapper MAPPER = Json.configure(Jackson.newObjectMapper());

    TestApp app;
    String worker;
    String lawyer;
    String otherLawyer;
    String caseA;
    String caseB;
    String caseC;
    String vkey;
    /** The honest bundle of cases A and B and the lawyer's earlier bundle of case A alone. */
    Map<String, byte[]> honest;
    Map<String, byte[]> earlier;
    @TempDir
    Path temp;

    abstract TestDatabase.Kind database();

    @BeforeAll
    void start() {
        app = TestApp.start(database());
        worker = app.userWithRoles("worker", "CASE_WORKER");
        lawyer = app.userWithRoles("lawyer", "LAWYER");
        otherLawyer = app.userWithRoles("otherlawyer", "LAWYER");
        caseA = createCase(ARMENIAN, "{\"date\":\"1999-05\",\"approximate\":true}", "Seen in a video, then moved; no word since.");
        caseB = createCase(RUSSIAN, "\"2001\"", "=HYPERLINK(\"http://invented.example\") and a line\nbreak, a comma and a \"quote\"");
        caseC = createCase("Invented Person Three", "\"1990\"", "not exported");
        String sharedVideo = addEvidence(caseC, "Video first filed under another case");
        assertThat(app.post("/api/v1/evidence/" + sharedVideo + "/cases", worker, "{\"caseId\":\"" + caseA + "\"}").status()).isEqualTo(204);
        assertThat(app.post("/api/v1/evidence/" + sharedVideo + "/custody-events", worker,
                "{\"action\":\"RECEIVED\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"from the archive\"}").status()).isEqualTo(201);
        String photo = addEvidence(caseB, "Photo of a hearing");
        assertThat(app.post("/api/v1/cases/" + caseA + "/status-changes", worker, "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":"
                + "{\"date\":\"2020-12\",\"approximate\":true},\"reason\":\"seen in video\",\"evidenceIds\":[\"" + sharedVideo + "\"]}").status())
                .isEqualTo(201);
        assertThat(app.patch("/api/v1/cases/" + caseB, worker, "\"1\"", "{\"proceedings\":{\"court\":\"Invented court\",\"hearingDates\":[\"2021-03-01\"]}}")
                .status()).isEqualTo(200);
        assertThat(app.post("/api/v1/evidence/" + photo + "/cases", worker, "{\"caseId\":\"" + caseA + "\"}").status()).isEqualTo(204);
        app.grant(caseA, lawyer);
        app.grant(caseB, lawyer);
        vkey = app.get("/api/v1/log/keys", null).json().get(0).get("verifierKey").asText();

        earlier = Bundles.unzip(download(export(lawyer, "first submission", caseA).get("id").asText(), lawyer));
        assertThat(app.patch("/api/v1/cases/" + caseA, worker, "\"2\"", "{\"summary\":\"Edited after the first export.\"}").status()).isEqualTo(200);
        honest = Bundles.unzip(download(export(lawyer, "Submission to the court, case 12/2026", caseA, caseB).get("id").asText(), lawyer));
    }

    @AfterAll
    void stop() {
        app.close();
    }

    String createCase(String originalScriptName, String birthDate, String summary) {
        String body = MAPPER.createObjectNode().set("person", MAPPER.createObjectNode().put("fullName", "Invented " + originalScriptName.length())
                .put("originalScriptName", originalScriptName)).toString();
        JsonNode request;
        try {
            request = MAPPER.readTree(body);
            ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("person")).set("birthDate", MAPPER.readTree(birthDate));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) request).put("category", "PRISONER_OF_WAR").put("summary", summary);
        Reply created = app.post("/api/v1/cases", worker, request.toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    String addEvidence(String caseId, String title) {
        Reply added = app.post("/api/v1/evidence", worker, """
                {"kind":"VIDEO","title":"%s","sha256":"%s","caseIds":["%s"],"capturedAt":"2020-12"}""".formatted(title, "ab".repeat(32), caseId));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added.json().get("id").asText();
    }

    JsonNode export(String token, String purpose, String... caseIds) {
        Reply created = app.post("/api/v1/exports", token, MAPPER.createObjectNode().put("purpose", purpose)
                .set("caseIds", MAPPER.valueToTree(List.of(caseIds))).toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    byte[] download(String exportId, String token) {
        TestApp.BinaryReply bundle = app.download("/api/v1/exports/" + exportId + "/bundle", token);
        assertThat(bundle.status()).as(bundle.toString()).isEqualTo(200);
        assertThat(bundle.header("Content-Type")).isEqualTo("application/zip");
        return bundle.body();
    }

    Findings verify(Map<String, byte[]> bundle, String... previousAndKey) {
        Path zip = Bundles.zip(bundle, temp.resolve("bundle-" + System.nanoTime() + ".zip"));
        Optional<Path> previous = previousAndKey.length > 0 ? Optional.of(Bundles.zip(earlier, temp.resolve("earlier-" + System.nanoTime() + ".zip")))
                : Optional.empty();
        return new BundleVerifier(MAPPER).verify(zip, Optional.of(vkey), previous);
    }

    LogSigner logKey() {
        try (Stream<Path> files = Files.list(app.dataDirectory().resolve("keys"))) {
            Path pem = files.filter(file -> file.toString().endsWith(".pem")).findFirst().orElseThrow();
            return new LogSigner("custody.test/log", KeyFiles.read(pem, new char[0]));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, byte[]> altered(String name, java.util.function.UnaryOperator<String> change) {
        Map<String, byte[]> files = new LinkedHashMap<>(honest);
        files.put(name, change.apply(Bundles.text(honest, name)).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    String reference(String caseId) {
        return app.get("/api/v1/cases/" + caseId, worker).json().get("reference").asText();
    }

    @Test
    void aLawyersExportIsRecordedAndItsBundleVerifiesWithThePublishedKey() {
        Reply created = app.post("/api/v1/exports", lawyer, "{\"caseIds\":[\"" + caseB + "\"],\"purpose\":\"Submission to a UN body\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode export = created.json();
        assertThat(created.header("Location")).endsWith("/api/v1/exports/" + export.get("id").asText());
        assertThat(export.get("requestedBy").asText()).isEqualTo(app.userId(lawyer));
        assertThat(export.get("cases").get(0).get("reference").asText()).isEqualTo(reference(caseB));
        assertThat(export.get("checkpointSize").asLong()).isPositive().isLessThanOrEqualTo(Long.parseLong(created.header("Log-Index")));
        assertThat(app.get("/api/v1/log/checkpoints/" + export.get("checkpointSize").asLong(), null).status()).isEqualTo(200);

        TestApp.BinaryReply bundle = app.download("/api/v1/exports/" + export.get("id").asText() + "/bundle", lawyer);
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.header("Content-Disposition")).matches("attachment; filename=\"custody-export-\\d{8}-[0-9a-f]{8}\\.zip\"");
        Findings findings = verify(Bundles.unzip(bundle.body()));
        assertThat(findings.problems()).isEmpty();
        assertThat(findings.warnings()).isEmpty();
        assertThat(findings.passed()).anyMatch(line -> line.startsWith("manifest signature: Ed25519"))
                .anyMatch(line -> line.startsWith("log/checkpoint: tree of " + export.get("checkpointSize").asLong() + " entries"))
                .anyMatch(line -> line.startsWith("case " + reference(caseB) + ": cases/" + reference(caseB) + ".json is what its"))
                .anyMatch(line -> line.startsWith("cases.csv: its 1 row(s)"));

        JsonNode accessLog = app.get("/api/v1/cases/" + caseB + "/access-log", app.adminToken()).json();
        List<String> actions = new ArrayList<>();
        accessLog.get("items").forEach(item -> actions.add(item.get("entry").get("action").asText()));
        assertThat(actions).contains("export.created", "export.downloaded");
        JsonNode created2 = accessLog.get("items").get(actions.indexOf("export.created"));
        assertThat(created2.get("payload").get("export").get("purpose").asText()).isEqualTo("Submission to a UN body");
        assertThat(app.get("/api/v1/cases/" + caseB + "/history", worker).json().toString()).doesNotContain("export.");
        assertThat(app.verifyLog().problems()).as("verify-log replays exports against the tables").isEmpty();
    }

    @Test
    void theBundleCarriesReadableFilesThatAgreeWithTheLog() throws IOException {
        String refA = reference(caseA);
        String refB = reference(caseB);
        assertThat(honest.keySet()).contains("export.json", "cases/" + refA + ".json", "cases/" + refB + ".json", "cases.csv", "status-history.csv",
                "evidence.csv", "custody-events.csv", "log/entries.jsonl", "log/proofs.jsonl", "log/consistency.jsonl", "log/checkpoint",
                "VERIFY.md", "MANIFEST.sha256", "MANIFEST.sha256.sig");
        assertThat(honest.keySet()).noneMatch(name -> name.startsWith("cases/") && name.contains(reference(caseC)));
        byte[] cases = honest.get("cases.csv");
        assertThat(new byte[] {cases[0], cases[1], cases[2]}).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        List<List<String>> rows;
        try {
            rows = Csv.parse(cases);
        } catch (Csv.MalformedCsvException e) {
            throw new AssertionError(e);
        }
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).contains(refA, ARMENIAN, "1999-05~");
        assertThat(rows.get(2)).contains(refB, RUSSIAN, "2021-03-01", "'=HYPERLINK(\"http://invented.example\") and a line\nbreak, a comma and a \"quote\"");

        JsonNode caseFile = MAPPER.readTree(honest.get("cases/" + refA + ".json"));
        assertThat(caseFile.get("case").get("person").get("originalScriptName").asText()).isEqualTo(ARMENIAN);
        assertThat(caseFile.get("case").get("summary").asText()).isEqualTo("Edited after the first export.");
        assertThat(caseFile.get("case").has("restricted")).isFalse();
        assertThat(caseFile.get("statusHistory").get(0).get("status").asText()).isEqualTo("DETENTION_CONFIRMED");
        assertThat(caseFile.get("evidence")).hasSize(2);
        List<String> titles = new ArrayList<>();
        caseFile.get("evidence").forEach(item -> titles.add(item.get("title").asText()));
        assertThat(titles).as("in the order filed").containsExactly("Video first filed under another case", "Photo of a hearing");
        JsonNode video = caseFile.get("evidence").get(0);
        assertThat(video.get("caseIds").toString()).as("a case outside the export is not named").contains(caseA).doesNotContain(caseC);
        assertThat(video.get("custodyEvents").get(0).get("note").asText()).isEqualTo("from the archive");

        String entries = Bundles.text(honest, "log/entries.jsonl");
        assertThat(entries.lines()).allMatch(line -> !line.contains("\"action\":\"case.viewed\""));
        assertThat(entries.lines().count()).isEqualTo(Bundles.text(honest, "log/proofs.jsonl").lines().count());
        for (String line : entries.lines().toList()) {
            String entry = new String(Base64.getDecoder().decode(MAPPER.readTree(line).get("entry").asText()), StandardCharsets.UTF_8);
            assertThat(entry).as("entries name actions, never people").doesNotContain(ARMENIAN).doesNotContain(RUSSIAN);
            assertThat(MAPPER.readTree(entry).get("action").asText()).isIn("case.created", "case.updated", "case.status_changed",
                    "evidence.created", "evidence.updated", "evidence.linked", "evidence.custody_event_recorded");
        }
        long checkpointSize = MAPPER.readTree(Bundles.text(honest, "export.json")).get("checkpointSize").asLong();
        assertThat(Bundles.text(honest, "VERIFY.md")).contains("sha256sum -c MANIFEST.sha256").contains(vkey).doesNotContain("{{")
                .contains("java -jar custody.jar check-checkpoint log/checkpoint --url ")
                .contains("GET /api/v1/log/proofs/consistency?from=" + checkpointSize + "&to=N");
        assertThat(Bundles.text(honest, "log/consistency.jsonl").lines()).hasSize(1);
    }

    @Test
    void anItemTakenOffAnExportedCaseIsCarriedOnlyUpToItsRemoval() throws IOException {
        String kept = createCase("Invented Kept", "\"1985\"", "exported");
        String shown = createCase("Invented Shown", "\"1986\"", "the person the video shows");
        String elsewhere = createCase("Invented Elsewhere", "\"1987\"", "not exported either");
        String video = addEvidence(shown, "Video filed under the wrong person");
        String linked = app.post("/api/v1/evidence/" + video + "/cases", worker, "{\"caseId\":\"" + kept + "\"}").expect(204).header("Log-Index");
        custodyEvent(video, "copied while on the wrong case");
        String removed = app.delete("/api/v1/evidence/" + video + "/cases/" + kept, worker, "{\"reason\":\"It shows another person\"}")
                .expect(204).header("Log-Index");
        String later = custodyEvent(video, "recorded after the removal");
        String photo = addEvidence(kept, "Photo that stays");
        app.post("/api/v1/evidence/" + photo + "/cases", worker, "{\"caseId\":\"" + elsewhere + "\"}").expect(204);
        String otherRemoval = app.delete("/api/v1/evidence/" + photo + "/cases/" + elsewhere, worker,
                "{\"reason\":\"A reason about the case not exported\"}").expect(204).header("Log-Index");
        app.grant(kept, lawyer);

        Map<String, byte[]> bundle = Bundles.unzip(download(export(lawyer, "Item taken off", kept).get("id").asText(), lawyer));
        assertThat(verify(bundle).problems()).isEmpty();
        JsonNode caseFile = MAPPER.readTree(bundle.get("cases/" + reference(kept) + ".json"));
        assertThat(caseFile.get("evidence")).hasSize(1);
        assertThat(caseFile.get("evidence").get(0).get("title").asText()).isEqualTo("Photo that stays");
        List<String> listed = new ArrayList<>();
        caseFile.get("logEntries").forEach(index -> listed.add(index.asText()));
        assertThat(listed).as("the case file still shows the item was once on it").contains(linked, removed);

        String entries = Bundles.text(bundle, "log/entries.jsonl");
        List<String> carried = new ArrayList<>();
        entries.lines().forEach(line -> carried.add(line.substring("{\"index\":".length(), line.indexOf(','))));
        assertThat(carried).contains(linked, removed).doesNotContain(later, otherRemoval);
        assertThat(entries).contains("copied while on the wrong case").contains("It shows another person")
                .doesNotContain("recorded after the removal").doesNotContain("A reason about the case not exported");
    }

    private String custodyEvent(String evidenceId, String note) {
        return app.post("/api/v1/evidence/" + evidenceId + "/custody-events", worker,
                "{\"action\":\"COPIED\",\"performedAt\":\"2021-01-05T09:30:00Z\",\"note\":\"" + note + "\"}").expect(201).header("Log-Index");
    }

    @Test
    void theJarsVerifyExportCommandChecksABundleOfflineAndFailsOnATamperedOne() throws Exception {
        Path bundle = Bundles.zip(honest, temp.resolve("command.zip"));
        Path previous = Bundles.zip(earlier, temp.resolve("command-earlier.zip"));
        String output = Commands.run("verify-export", bundle.toString(), "--vkey", vkey, "--previous", previous.toString());
        assertThat(output).contains("OK   manifest signature").contains("OK   --previous: the log of the earlier bundle").containsPattern("VERIFIED in");

        Path tampered = Bundles.zip(Bundles.remanifest(altered("cases.csv", text -> text.replace(RUSSIAN, "Сергей")), logKey()),
                temp.resolve("command-tampered.zip"));
        Commands.CommandFailed failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> Commands.run("verify-export", tampered.toString(), "--vkey", vkey), Commands.CommandFailed.class);
        assertThat(failed.output).contains("FAIL cases.csv record 3 (case " + reference(caseB) + ")").contains("FAILED: 1 problem(s)");
    }

    @Test
    void standardToolsAloneAcceptTheBundle() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("unpacked"));
        Bundles.extract(honest, directory);
        String keyFile = "keys/" + vkey.split("\\+")[1] + ".pem";
        assertThat(run(directory, "sha256sum", "-c", "MANIFEST.sha256")).contains("cases.csv: OK").doesNotContain("FAILED");
        assertThat(run(directory, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keyFile, "-rawin", "-in", "MANIFEST.sha256",
                "-sigfile", "MANIFEST.sha256.sig")).contains("Signature Verified Successfully");

        Files.writeString(directory.resolve("cases.csv"), "changed");
        assertThat(run(directory, "sha256sum", "-c", "MANIFEST.sha256")).contains("cases.csv: FAILED");
    }

    private static String run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    @Test
    void aLaterBundleProvesTheLogOnlyGrewSinceTheLawyersEarlierOne() {
        Findings findings = verify(honest, "previous");
        assertThat(findings.problems()).isEmpty();
        assertThat(findings.passed()).anyMatch(line -> line.startsWith("--previous: the log of the earlier bundle"));
    }

    @Test
    void anEarlierBundleFromARewrittenLogIsCaught() throws Exception {
        SignedNote kept = SignedNote.parse(Bundles.text(earlier, "log/checkpoint"));
        Checkpoint original = Checkpoint.parse(kept.body());
        byte[] otherRoot = original.root().clone();
        otherRoot[0] ^= 1;
        String rewritten = SignedNote.sign(new Checkpoint(original.origin(), original.size(), otherRoot).body(), List.of(logKey())).text();
        Map<String, byte[]> honestEarlier = earlier;
        Map<String, byte[]> forged = new LinkedHashMap<>(earlier);
        forged.put("log/checkpoint", rewritten.getBytes(StandardCharsets.UTF_8));
        earlier = Bundles.remanifest(forged, logKey());
        try {
            assertThat(verify(honest, "previous").problems()).anyMatch(problem -> problem.startsWith("--previous: the earlier bundle's log of "
                    + original.size() + " entries is not a prefix of this bundle's: the log was rewritten between the two exports"));
        } finally {
            earlier = honestEarlier;
        }
    }

    /**
     * What was known when: an export as of an earlier instant shows the cases as the log stood then, proven by the
     * same entries and proofs, and proves its log a prefix of an export of a later state made before it.
     */
    @Test
    void anExportAsOfAnEarlierInstantShowsWhatWasKnownThen() throws Exception {
        String archivist = app.userWithRoles("archivist", "CASE_WORKER");
        String caseId = createCase("Invented Then", "\"1985\"", "Known then.");
        app.post("/api/v1/cases/" + caseId + "/status-changes", worker, "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021-02\"}").expect(201);
        Thread.sleep(5);
        Instant then = Instant.now();
        Thread.sleep(5);
        app.post("/api/v1/cases/" + caseId + "/status-changes", worker, "{\"status\":\"CHARGED\",\"effectiveDate\":\"2021-06\"}").expect(201);
        app.patch("/api/v1/cases/" + caseId, worker, "\"3\"", "{\"summary\":\"Known later.\"}").expect(200);
        JsonNode now = export(archivist, "the file as it stands", caseId);
        Map<String, byte[]> later = Bundles.unzip(download(now.get("id").asText(), archivist));

        Reply created = app.post("/api/v1/exports", archivist, MAPPER.createObjectNode().put("purpose", "the file as sent on that day")
                .put("asOf", then.toString()).set("caseIds", MAPPER.valueToTree(List.of(caseId))).toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long size = created.json().get("checkpointSize").asLong();
        assertThat(size).isLessThan(now.get("checkpointSize").asLong());
        Map<String, byte[]> asOf = Bundles.unzip(download(created.json().get("id").asText(), archivist));
        String reference = reference(caseId);
        assertThat(Bundles.text(asOf, "status-history.csv")).contains("DETENTION_CONFIRMED").doesNotContain("CHARGED");
        assertThat(Bundles.text(asOf, "cases/" + reference + ".json")).contains("Known then.").doesNotContain("Known later.");
        assertThat(Bundles.text(later, "status-history.csv")).contains("CHARGED");
        assertThat(Checkpoint.parse(SignedNote.parse(Bundles.text(asOf, "log/checkpoint")).body()).size()).isEqualTo(size);
        Instant shown = Instant.parse(MAPPER.readTree(Bundles.text(asOf, "export.json")).get("checkpointSignedAt").asText());
        assertThat(shown).as("the instant the files show, in the signed manifest's export.json").isBeforeOrEqualTo(then);
        assertThat(Bundles.text(asOf, "VERIFY.md")).contains("signed at " + shown + ": the files show the cases as they");
        assertThat(Instant.parse(MAPPER.readTree(Bundles.text(later, "export.json")).get("checkpointSignedAt").asText())).isAfter(then);

        Findings alone = verifyWith(asOf, Optional.empty());
        assertThat(alone.problems()).isEmpty();
        assertThat(alone.passed()).anyMatch(line -> line.contains("this log is a prefix of the one of size " + now.get("checkpointSize").asLong()));
        Findings withLater = verifyWith(asOf, Optional.of(later));
        assertThat(withLater.problems()).isEmpty();
        assertThat(withLater.passed()).anyMatch(line -> line.startsWith("--previous: this bundle's log (" + size + " entries, an earlier state) is a prefix"));
        JsonNode afterBoth = export(archivist, "the file once more", caseId);
        Findings forward = verifyWith(Bundles.unzip(download(afterBoth.get("id").asText(), archivist)), Optional.of(asOf));
        assertThat(forward.problems()).isEmpty();
        assertThat(forward.passed()).anyMatch(line -> line.startsWith("--previous: the log of the earlier bundle (" + size + " entries) is a prefix"));

        // the later bundle from a log rewritten since: the as-of bundle's proof does not reach its signed root
        Checkpoint laterCheckpoint = Checkpoint.parse(SignedNote.parse(Bundles.text(later, "log/checkpoint")).body());
        byte[] otherRoot = laterCheckpoint.root().clone();
        otherRoot[0] ^= 1;
        Map<String, byte[]> rewritten = new LinkedHashMap<>(later);
        rewritten.put("log/checkpoint", SignedNote.sign(new Checkpoint(laterCheckpoint.origin(), laterCheckpoint.size(), otherRoot).body(),
                List.of(logKey())).text().getBytes(StandardCharsets.UTF_8));
        assertThat(verifyWith(asOf, Optional.of(Bundles.remanifest(rewritten, logKey()))).problems())
                .anyMatch(problem -> problem.startsWith("--previous: this bundle's log of " + size + " entries is not a prefix of the earlier bundle's"));
    }

    @Test
    void anExportAsOfAnInstantThatCannotBeShownIsRefusedWithoutWriting() throws Exception {
        String recordedLater = createCase("Invented Later", "\"1980\"", "recorded after the instant");
        Instant beforeIt = Instant.parse(app.get("/api/v1/cases/" + recordedLater, worker).json().get("createdAt").asText()).minusMillis(1);
        List<Long> before = app.footprint();
        Map<String, String> refusals = Map.of(
                Instant.now().plusSeconds(3_600).toString(), "asOf",
                "2000-01-01T00:00:00Z", "asOf",
                beforeIt.toString(), "caseIds[1]");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Reply refused = app.post("/api/v1/exports", worker, MAPPER.createObjectNode().put("purpose", "p").put("asOf", refusal.getKey())
                    .set("caseIds", MAPPER.valueToTree(List.of(caseA, recordedLater))).toString());
            assertThat(refused.status()).as(refusal.getKey()).isEqualTo(422);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.body()).contains("\"" + refusal.getValue() + "\"");
        }
        Reply unseen = app.post("/api/v1/exports", otherLawyer, MAPPER.createObjectNode().put("purpose", "p").put("asOf", beforeIt.toString())
                .set("caseIds", MAPPER.valueToTree(List.of(recordedLater))).toString());
        assertThat(unseen.status()).as("a case the caller may not see does not exist, whenever it was recorded").isEqualTo(404);
        Reply malformed = app.post("/api/v1/exports", worker, "{\"caseIds\":[\"" + caseA + "\"],\"purpose\":\"p\",\"asOf\":\"last spring\"}");
        assertThat(malformed.status()).isBetween(400, 422);
        assertThat(app.footprint()).isEqualTo(before);
    }

    Findings verifyWith(Map<String, byte[]> bundle, Optional<Map<String, byte[]>> previous) {
        Path zip = Bundles.zip(bundle, temp.resolve("bundle-" + System.nanoTime() + ".zip"));
        return new BundleVerifier(MAPPER).verify(zip, Optional.of(vkey),
                previous.map(files -> Bundles.zip(files, temp.resolve("previous-" + System.nanoTime() + ".zip"))));
    }

    @Test
    void aChangedCharacterInASpreadsheetIsCaughtByTheManifestAndAgainstTheLog() {
        Map<String, byte[]> tampered = altered("cases.csv", text -> text.replace(RUSSIAN, "Сергей Петросов"));
        assertThat(verify(tampered).problems()).contains("cases.csv: its SHA-256 is not the one in MANIFEST.sha256 (the file was changed)");
        assertThat(verify(Bundles.remanifest(tampered, logKey())).problems())
                .containsExactly("cases.csv record 3 (case " + reference(caseB) + "): column(s) person.originalScriptName differ from the log");
    }

    @Test
    void aChangedCaseFileIsCaughtAgainstTheLog() {
        String name = "cases/" + reference(caseA) + ".json";
        Map<String, byte[]> tampered = Bundles.remanifest(altered(name, text -> text.replace("DETENTION_CONFIRMED", "RELEASED")), logKey());
        assertThat(verify(tampered).problems()).containsExactly(name + ": case.status, statusHistory differ(s) from what the log entries rebuild");
    }

    @Test
    void aDroppedEntryOrProofIsCaught() throws IOException {
        List<String> entries = Bundles.text(honest, "log/entries.jsonl").lines().toList();
        long dropped = MAPPER.readTree(entries.get(1)).get("index").asLong();
        Map<String, byte[]> withoutEntry = altered("log/entries.jsonl", text -> text.replace(entries.get(1) + "\n", ""));
        assertThat(verify(Bundles.remanifest(withoutEntry, logKey())).problems())
                .contains("log/proofs.jsonl: a proof for entry " + dropped + ", which log/entries.jsonl does not hold");

        List<String> proofs = Bundles.text(honest, "log/proofs.jsonl").lines().toList();
        Map<String, byte[]> withoutProof = altered("log/proofs.jsonl", text -> text.replace(proofs.get(1) + "\n", ""));
        assertThat(verify(Bundles.remanifest(withoutProof, logKey())).problems())
                .anyMatch(problem -> problem.matches("entry " + dropped + " \\([a-z._]+\\): log/proofs.jsonl has no inclusion proof for it"));
    }

    @Test
    void reorderedEntriesAreCaught() throws IOException {
        List<String> entries = Bundles.text(honest, "log/entries.jsonl").lines().toList();
        long first = MAPPER.readTree(entries.get(0)).get("index").asLong();
        long second = MAPPER.readTree(entries.get(1)).get("index").asLong();
        Map<String, byte[]> swapped = altered("log/entries.jsonl", text -> text.replace(entries.get(0) + "\n" + entries.get(1) + "\n",
                entries.get(1) + "\n" + entries.get(0) + "\n"));
        assertThat(verify(Bundles.remanifest(swapped, logKey())).problems())
                .contains("log/entries.jsonl line 2: entry " + first + " comes after entry " + second + " (entries out of order or repeated)");
    }

    @Test
    void anEditedPayloadIsCaughtByItsCommitment() throws IOException {
        List<String> entries = Bundles.text(honest, "log/entries.jsonl").lines().toList();
        String line = entries.stream().filter(text -> text.contains(ARMENIAN)).findFirst().orElseThrow();
        long index = MAPPER.readTree(line).get("index").asLong();
        Map<String, byte[]> tampered = altered("log/entries.jsonl", text -> text.replace(line, line.replace(ARMENIAN, "Արամ Վարդանով")));
        assertThat(verify(Bundles.remanifest(tampered, logKey())).problems())
                .contains("entry " + index + " (case.created): its payload does not match the commitment in the entry (the payload was changed)");
    }

    @Test
    void anOlderCheckpointInPlaceOfTheBundlesOwnIsCaught() throws IOException {
        long size = MAPPER.readTree(honest.get("export.json")).get("checkpointSize").asLong();
        String older = app.get("/api/v1/log/checkpoints/" + (size - 1), null).body();
        Map<String, byte[]> tampered = new LinkedHashMap<>(honest);
        tampered.put("log/checkpoint", older.getBytes(StandardCharsets.UTF_8));
        assertThat(verify(Bundles.remanifest(tampered, logKey())).problems())
                .contains("log/checkpoint: a tree of " + (size - 1) + " entries, but export.json anchors the bundle at " + size)
                .anyMatch(problem -> problem.endsWith("its inclusion proof is for a tree of " + size + " entries, not the checkpoint's " + (size - 1)));
    }

    @Test
    void aManifestSignedWithAnotherKeyIsCaught() {
        LogSigner stranger = new LogSigner("custody.test/log", KeyFiles.generate(new java.security.SecureRandom()));
        assertThat(verify(Bundles.remanifest(honest, stranger)).problems())
                .containsExactly("MANIFEST.sha256.sig: does not verify with log key custody.test/log+" + vkey.split("\\+")[1]);
    }

    @Test
    void aCheckpointNotSignedByThePublishedKeyIsCaught() {
        Path zip = Bundles.zip(honest, temp.resolve("honest.zip"));
        String otherKey = new LogSigner("custody.test/log", KeyFiles.generate(new java.security.SecureRandom())).key().verifierKey();
        Findings findings = new BundleVerifier(MAPPER).verify(zip, Optional.of(otherKey), Optional.empty());
        // the message names the key that did sign, from the signature line, so that the reader knows which published key to look for
        assertThat(findings.problems()).contains("log/checkpoint: not signed by the key " + otherKey.split("\\+")[0] + "+" + otherKey.split("\\+")[1]
                + " (its signature lines name custody.test/log+" + vkey.split("\\+")[1] + ")");
        Findings withoutKey = new BundleVerifier(MAPPER).verify(zip, Optional.empty(), Optional.empty());
        assertThat(withoutKey.problems()).isEmpty();
        assertThat(withoutKey.warnings()).singleElement().asString().startsWith("no --vkey given");
    }

    @Test
    void aLawyerWithoutAGrantIsToldTheCaseDoesNotExistAndNothingIsWritten() {
        List<Long> before = app.footprint();
        Reply refused = app.post("/api/v1/exports", lawyer, "{\"caseIds\":[\"" + caseA + "\",\"" + caseC + "\"],\"purpose\":\"x\"}");
        Reply missing = app.get("/api/v1/cases/" + java.util.UUID.randomUUID(), lawyer);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.body()).isEqualTo(missing.body());
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(app.footprint()).isEqualTo(before);
    }

    @Test
    void badRequestsAreRefusedWithoutWriting() {
        List<Long> before = app.footprint();
        for (String body : List.of("{\"caseIds\":[\"" + caseA + "\"]}", "{\"caseIds\":[\"" + caseA + "\"],\"purpose\":\"  \"}",
                "{\"caseIds\":[],\"purpose\":\"p\"}", "{\"caseIds\":[\"" + caseA + "\",\"" + caseA + "\"],\"purpose\":\"p\"}",
                "{\"caseIds\":[\"not-a-uuid\"],\"purpose\":\"p\"}", "{\"caseIds\":[\"" + caseA + "\"],\"purpose\":\"p\",\"extra\":1}")) {
            Reply refused = app.post("/api/v1/exports", lawyer, body);
            assertThat(refused.status()).as(body).isBetween(400, 422);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        }
        assertThat(app.footprint()).isEqualTo(before);
    }

    @Test
    void onlyTheRequesterDownloadsAndOnlyWhileTheyMaySeeEveryCase() {
        String id = export(lawyer, "a proceeding", caseA).get("id").asText();
        assertThat(app.get("/api/v1/exports/" + id, otherLawyer).status()).isEqualTo(404);
        assertThat(app.download("/api/v1/exports/" + id + "/bundle", otherLawyer).status()).isEqualTo(404);
        assertThat(app.download("/api/v1/exports/" + id + "/bundle", app.adminToken()).status()).as("administrators see no content").isEqualTo(403);
        assertThat(app.get("/api/v1/exports/" + id, app.adminToken()).status()).isEqualTo(200);
        assertThat(app.get("/api/v1/exports", app.adminToken()).json().get("items").toString()).contains(id);
        assertThat(app.get("/api/v1/exports", otherLawyer).json().get("total").asLong()).isZero();
        assertThat(app.get("/api/v1/exports", lawyer).json().get("items").toString()).contains(id);

        String temporary = app.userWithRoles("temporary", "LAWYER");
        app.grant(caseB, temporary);
        String theirs = export(temporary, "a proceeding", caseB).get("id").asText();
        assertThat(app.delete("/api/v1/cases/" + caseB + "/grants/" + app.userId(temporary), app.adminToken()).status()).isEqualTo(204);
        long logSize = app.logSize();
        assertThat(app.download("/api/v1/exports/" + theirs + "/bundle", temporary).status()).isEqualTo(404);
        assertThat(app.logSize()).as("a refused download is not logged as one").isEqualTo(logSize);
    }

    @Test
    void aHeadRequestForTheBundleDownloadsNothingAndRecordsNothing() {
        String id = export(lawyer, "a proceeding", caseA).get("id").asText();
        long logSize = app.logSize();
        Reply head = app.send("HEAD", "/api/v1/exports/" + id + "/bundle", lawyer, null, null);
        assertThat(head.status()).as(head.toString()).isEqualTo(200);
        assertThat(head.header("Content-Type")).isEqualTo("application/zip");
        assertThat(head.header("Content-Disposition")).startsWith("attachment; filename=\"custody-export-");
        assertThat(head.header("Log-Index")).isNull();
        assertThat(app.send("HEAD", "/api/v1/exports/" + id + "/bundle", otherLawyer, null, null).status()).isEqualTo(404);
        assertThat(app.send("HEAD", "/api/v1/exports/" + id + "/bundle", app.adminToken(), null, null).status()).isEqualTo(403);
        assertThat(app.logSize()).as("no download happened, so none is in the log").isEqualTo(logSize);
    }

    @Test
    void anExportWithoutPayloadsCarriesTheTrailButNoRecords() {
        Reply created = app.post("/api/v1/exports", lawyer, "{\"caseIds\":[\"" + caseA + "\"],\"purpose\":\"p\",\"includePayloads\":false}");
        Map<String, byte[]> bundle = Bundles.unzip(download(created.json().get("id").asText(), lawyer));
        assertThat(bundle.keySet()).noneMatch(name -> name.startsWith("cases")).contains("log/entries.jsonl", "log/proofs.jsonl");
        assertThat(Bundles.text(bundle, "log/entries.jsonl")).doesNotContain("payload\":{").doesNotContain(ARMENIAN);
        Findings findings = verify(bundle);
        assertThat(findings.problems()).isEmpty();
        assertThat(findings.passed()).anyMatch(line -> line.startsWith("the export carries no records"));
    }
}
