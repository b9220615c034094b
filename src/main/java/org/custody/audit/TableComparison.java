package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.custody.log.Jcs;
import org.jdbi.v3.core.Handle;

/** verify-log's comparison of the records it rebuilt from the log with the rows in the tables. */
final class TableComparison {
    /** Rows compared on all cores at a time. */
    private static final int CHUNK = 256;

    private final ObjectMapper mapper;
    private final Replay replay;
    private final Findings findings;

    TableComparison(ObjectMapper mapper, Replay replay, Findings findings) {
        this.mapper = mapper;
        this.replay = replay;
        this.findings = findings;
    }

    /**
     * Compares the replayed records with the tables, streaming the rows. Each replayed record is taken out of the
     * replay when its row arrives, so memory falls as the comparison proceeds, and what is left at the end was
     * logged but has no row.
     */
    void compare(Handle transaction) {
        String counts = replay.users.size() + " users, " + replay.cases.size() + " cases, " + replay.statusChanges.size() + " status changes, "
                + replay.evidence.size() + " evidence items, " + replay.custodyEvents.size() + " custody events, " + replay.grants.size()
                + " grants, " + replay.exports.size() + " exports, " + replay.keys.size() + " keys";
        int before = findings.problems().size();
        TableState tables = new TableState(mapper, replay, transaction);
        compare("user", replay.users, tables::users);
        compare("case", replay.cases, tables::cases);
        compare("status change", replay.statusChanges, tables::statusChanges);
        compare("evidence", replay.evidence, tables::evidence);
        compare("custody event", replay.custodyEvents, tables::custodyEvents);
        compare("log key", replay.keys, tables::keys);
        compare("case grant", replay.grants, tables::grants);
        compare("export", replay.exports, tables::exports);
        if (findings.problems().size() == before) {
            findings.pass("replay from index 0: " + counts + " match the tables");
        }
    }

    private void compare(String what, ReplayedRecords<?> logged, Consumer<TableState.Rows> table) {
        Map<String, String> problems = new TreeMap<>();
        List<byte[]> expected = new ArrayList<>(CHUNK);
        List<Supplier<JsonNode>> rows = new ArrayList<>(CHUNK);
        List<String> ids = new ArrayList<>(CHUNK);
        Runnable compareChunk = () -> {
            List<Compared> compared = IntStream.range(0, rows.size()).parallel().mapToObj(i -> {
                JsonNode row = rows.get(i).get();
                return new Compared(row, Arrays.equals(expected.get(i), Jcs.canonicalize(row)));
            }).toList();
            for (int i = 0; i < compared.size(); i++) {
                if (!compared.get(i).same()) {
                    problems.put(ids.get(i), what + " " + ids.get(i) + ": "
                            + String.join(", ", LogVerifier.differences("", logged.parse(expected.get(i)), compared.get(i).row())) + " differ(s) from the log");
                }
            }
            expected.clear();
            rows.clear();
            ids.clear();
        };
        table.accept((id, row) -> {
            byte[] logRecord = logged.removeCanonical(id);
            if (logRecord == null) {
                problems.put(id, what + " " + id + ": in the tables but never logged");
                return;
            }
            expected.add(logRecord);
            rows.add(row);
            ids.add(id);
            if (rows.size() == CHUNK) {
                compareChunk.run();
            }
        });
        compareChunk.run();
        logged.keySet().forEach(id -> problems.put(id, what + " " + id + ": in the log but not in the tables"));
        logged.clear();
        problems.values().forEach(findings::problem);
    }

    /** A table row as its record, and whether it is the record the log has. */
    private record Compared(JsonNode row, boolean same) {}
}
