package org.custody.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.Findings;
import org.custody.audit.RecordDifferences;

/**
 * The verifier's check that the files people read say what the log says: each case is rendered again from the replayed
 * payloads, and {@code cases/<reference>.json} and the spreadsheets must be exactly that rendering.
 */
final class CaseFileCheck {
    private final ObjectMapper mapper;
    private final Findings findings;
    private final BundleContents bundle;
    private final JsonNode export;

    CaseFileCheck(ObjectMapper mapper, Findings findings, BundleContents bundle, JsonNode export) {
        this.mapper = mapper;
        this.findings = findings;
        this.bundle = bundle;
        this.export = export;
    }

    void check(ExportReplay replayed) {
        Set<String> exported = new HashSet<>();
        export.path("cases").forEach(exportedCase -> exported.add(exportedCase.path("id").asText()));
        Map<String, CaseFiles> rendered = new LinkedHashMap<>();
        for (JsonNode exportedCase : export.path("cases")) {
            String id = exportedCase.path("id").asText();
            String reference = exportedCase.path("reference").asText();
            if (!replayed.state().cases().containsKey(id)) {
                findings.problem("case " + reference + ": no entry in the bundle creates it");
                continue;
            }
            CaseFiles files;
            try {
                files = CaseFiles.render(mapper, replayed, id, exported);
            } catch (RuntimeException e) {
                // Only a signed entry the service never writes (a record without its id or time) gets here.
                findings.problem("case " + reference + ": its records in the log cannot be rendered (" + e.getClass().getSimpleName() + ")");
                continue;
            }
            rendered.put(reference, files);
            checkCaseJson(files);
        }
        Set<String> expectedNames = new HashSet<>();
        rendered.keySet().forEach(reference -> expectedNames.add(Bundle.CASES + reference + ".json"));
        for (String name : bundle.names()) {
            if (name.startsWith(Bundle.CASES) && !expectedNames.contains(name)) {
                findings.problem(name + ": not a case of this export (" + Bundle.EXPORT + " does not list it)");
            }
        }
        for (CaseFiles.Sheet sheet : CaseFiles.Sheet.values()) {
            checkSheet(sheet, rendered.values());
        }
    }

    private void checkCaseJson(CaseFiles files) {
        String name = Bundle.CASES + files.reference() + ".json";
        Optional<byte[]> content = bundle.bytes(name);
        if (content.isEmpty()) {
            findings.problem(name + ": missing");
            return;
        }
        JsonNode found;
        try {
            found = mapper.readTree(content.get());
        } catch (IOException e) {
            findings.problem(name + ": not JSON");
            return;
        }
        List<String> differences = RecordDifferences.paths("", files.json(), found);
        if (differences.isEmpty()) {
            findings.pass("case " + files.reference() + ": " + name + " is what its " + files.json().path("logEntries").size()
                    + " log entries rebuild");
        } else {
            findings.problem(name + ": " + String.join(", ", differences) + " differ(s) from what the log entries rebuild");
        }
    }

    private void checkSheet(CaseFiles.Sheet sheet, Iterable<CaseFiles> cases) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(Csv.BOM);
        expected.writeBytes(sheet.header().getBytes(StandardCharsets.UTF_8));
        List<String> references = new ArrayList<>();
        for (CaseFiles files : cases) {
            for (List<String> row : sheet.rowsOf(files)) {
                expected.writeBytes(Csv.row(row).getBytes(StandardCharsets.UTF_8));
                references.add(files.reference());
            }
        }
        Optional<byte[]> found = bundle.bytes(sheet.fileName);
        if (found.isEmpty()) {
            findings.problem(sheet.fileName + ": missing");
            return;
        }
        if (Arrays.equals(expected.toByteArray(), found.get())) {
            findings.pass(sheet.fileName + ": its " + references.size() + " row(s) are what the log entries rebuild");
            return;
        }
        try {
            List<List<String>> wanted = Csv.parse(expected.toByteArray());
            List<List<String>> rows = Csv.parse(found.get());
            if (!rows.isEmpty() && !rows.get(0).equals(wanted.get(0))) {
                findings.problem(sheet.fileName + ": the header row differs from " + String.join(",", sheet.columns));
                return;
            }
            int reported = 0;
            for (int i = 1; i < Math.min(rows.size(), wanted.size()) && reported < 20; i++) {
                List<String> columns = new ArrayList<>();
                for (int c = 0; c < sheet.columns.size(); c++) {
                    String cell = c < rows.get(i).size() ? rows.get(i).get(c) : null;
                    if (!wanted.get(i).get(c).equals(cell)) {
                        columns.add(sheet.columns.get(c));
                    }
                }
                if (!columns.isEmpty() || rows.get(i).size() != sheet.columns.size()) {
                    findings.problem(sheet.fileName + " record " + (i + 1) + " (case " + references.get(i - 1) + "): "
                            + (columns.isEmpty() ? "has extra cells" : "column(s) " + String.join(", ", columns) + " differ from the log"));
                    reported++;
                }
            }
            if (rows.size() != wanted.size()) {
                findings.problem(sheet.fileName + ": " + (rows.size() - 1) + " row(s), the log entries rebuild " + (wanted.size() - 1));
            } else if (reported == 0) {
                findings.problem(sheet.fileName + ": its bytes differ from what the log entries rebuild (quoting or line ends)");
            }
        } catch (Csv.MalformedCsvException e) {
            findings.problem(sheet.fileName + ": " + e.getMessage());
        }
    }
}
