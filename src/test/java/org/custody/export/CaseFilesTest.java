package org.custody.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.audit.Findings;
import org.custody.support.Bundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a case is rendered for people, from replayed payloads alone. */
class CaseFilesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CASE_ID = "7d1f0c52-0b55-4c61-9e0a-5b2f3c1d9a10";

    @TempDir
    Path temp;

    @Test
    void evidenceIsListedInTheOrderItWasFiledEvenWhenOneWasFiledOnAWholeSecond() throws Exception {
        // Instant.toString() leaves a zero fraction out: as text, "…:38Z" sorts after "…:38.015Z".
        ExportReplay replayed = replayOf(
                evidence("3b7e1a2c-0000-4000-8000-000000000003", "2026-12-02T01:31:38.015Z", "filed second"),
                evidence("ff000000-0000-4000-8000-000000000001", "2026-12-02T01:31:38Z", "filed first"),
                evidence("00000000-0000-4000-8000-000000000002", "2026-12-02T01:31:38.015Z", "filed second, lower id"));

        CaseFiles files = CaseFiles.render(MAPPER, replayed, CASE_ID, Set.of(CASE_ID));

        List<String> titles = new ArrayList<>();
        files.json().get("evidence").forEach(item -> titles.add(item.get("title").asText()));
        assertThat(titles).containsExactly("filed first", "filed second, lower id", "filed second");
        assertThat(files.evidence()).extracting(row -> row.get(3)).containsExactly("filed first", "filed second, lower id", "filed second");
    }

    @Test
    void aRecordThatCannotBeRenderedIsAFindingNotACrash() throws Exception {
        ExportReplay replayed = replayOf(evidence("3b7e1a2c-0000-4000-8000-000000000003", "yesterday", "undated"),
                evidence("00000000-0000-4000-8000-000000000002", "2026-12-02T01:31:38Z", "dated"));
        JsonNode export = MAPPER.readTree("{\"cases\":[{\"id\":\"" + CASE_ID + "\",\"reference\":\"CUS-2026-000001\"}]}");
        BundleContents bundle = BundleContents.read(Bundles.zip(Map.of("export.json", "{}".getBytes(StandardCharsets.UTF_8)), temp.resolve("b.zip")));
        Findings findings = new Findings();

        new CaseFileCheck(MAPPER, findings, bundle, export).check(replayed);

        assertThat(findings.problems()).contains("case CUS-2026-000001: its records in the log cannot be rendered (DateTimeParseException)");
    }

    private static ExportReplay replayOf(ObjectNode... evidence) {
        ExportReplay replayed = new ExportReplay(MAPPER);
        ObjectNode record = MAPPER.createObjectNode().put("id", CASE_ID).put("reference", "CUS-2026-000001").put("version", 1)
                .put("status", "MISSING").put("createdAt", "2026-12-02T01:00:00Z").put("updatedAt", "2026-12-02T01:00:00Z");
        record.putObject("person").put("fullName", "Invented Person");
        long index = 0;
        assertThat(replayed.add(index++, entry("case.created", "case", CASE_ID), MAPPER.createObjectNode().set("case", record))).isNull();
        for (ObjectNode item : evidence) {
            assertThat(replayed.add(index++, entry("evidence.created", "evidence", item.get("id").asText()),
                    MAPPER.createObjectNode().set("evidence", item))).isNull();
        }
        return replayed;
    }

    private static ObjectNode evidence(String id, String createdAt, String title) {
        ObjectNode item = MAPPER.createObjectNode().put("id", id).put("version", 1).put("kind", "VIDEO").put("title", title)
                .put("createdAt", createdAt).put("updatedAt", createdAt);
        item.putArray("caseIds").add(CASE_ID);
        return item;
    }

    private static JsonNode entry(String action, String subjectType, String subjectId) {
        ObjectNode entry = MAPPER.createObjectNode().put("action", action);
        entry.putObject("subject").put("type", subjectType).put("id", subjectId);
        return entry;
    }
}
