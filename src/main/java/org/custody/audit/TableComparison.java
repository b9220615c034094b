package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.custody.log.Jcs;
import org.jdbi.v3.core.Handle;

/** verify-log's comparison of the records it rebuilt from the log with the rows in the tables. */
final class TableComparison {
    /** Rows compared by one task. */
    private static final int CHUNK = 512;
    /** Chunks being compared while more rows are read. */
    private static final int CHUNKS_AHEAD = 4;

    private final ObjectMapper mapper;
    private final Replay replay;
    private final SignInState signIns;
    private final ReplayedRecords<JsonNode> pendingProposals;
    private final Findings findings;

    TableComparison(ObjectMapper mapper, Replay replay, SignInState signIns, ReplayedRecords<JsonNode> pendingProposals, Findings findings) {
        this.mapper = mapper;
        this.replay = replay;
        this.signIns = signIns;
        this.pendingProposals = pendingProposals;
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
                + " grants, " + replay.exports.size() + " exports, " + replay.erasedCases.size() + " erased cases, " + replay.keys.size()
                + " keys, " + pendingProposals.size() + " pending erasure proposals, " + signIns.sessions.size() + " open sessions";
        int before = findings.problems().size();
        TableState tables = new TableState(mapper, transaction);
        SignInTables signInTables = new SignInTables(mapper, tables, signIns);
        ExecutorService comparers = LogVerifier.daemonThreads("verify-log-comparer", Runtime.getRuntime().availableProcessors());
        try {
            compareAll(tables, signInTables, comparers);
        } finally {
            comparers.shutdownNow();
        }
        if (findings.problems().size() == before) {
            findings.pass("replay from index 0: " + counts + " match the tables");
        }
    }

    private void compareAll(TableState tables, SignInTables signInTables, ExecutorService comparers) {
        compare("user", replay.users, signInTables::users, comparers);
        compare("case", replay.cases, tables::cases, comparers);
        compare("status change", replay.statusChanges, tables::statusChanges, comparers);
        compare("evidence", replay.evidence, tables::evidence, comparers);
        compare("custody event", replay.custodyEvents, tables::custodyEvents, comparers);
        compare("log key", replay.keys, tables::keys, comparers);
        compare("case grant", replay.grants, tables::grants, comparers);
        compare("export", replay.exports, tables::exports, comparers);
        compare("erased entry", replay.erasures, tables::erasures, comparers);
        compare("erased case", replay.erasedCases, tables::erasedCases, comparers);
        compare("session", signIns.sessions, signInTables::sessions, comparers);
        compare("pending erasure proposal of case", pendingProposals, tables::erasureProposals, comparers);
    }

    private void compare(String what, ReplayedRecords<?> logged, Consumer<TableState.Rows> table, ExecutorService comparers) {
        Map<String, String> problems = new TreeMap<>();
        Deque<CompletableFuture<Map<String, String>>> comparing = new ArrayDeque<>();
        Chunk[] chunk = {new Chunk()};
        table.accept((id, row, columns) -> {
            byte[] logRecord = logged.removeCanonical(id);
            if (logRecord == null) {
                problems.put(id, what + " " + id + ": in the tables but never logged");
                return;
            }
            chunk[0].add(id, logRecord, row, columns);
            if (chunk[0].ids.size() == CHUNK) {
                comparing.add(chunk[0].compare(what, logged, comparers));
                chunk[0] = new Chunk();
                if (comparing.size() > CHUNKS_AHEAD) {
                    problems.putAll(comparing.poll().join());
                }
            }
        });
        comparing.add(chunk[0].compare(what, logged, comparers));
        comparing.forEach(compared -> problems.putAll(compared.join()));
        logged.keySet().forEach(id -> problems.put(id, what + " " + id + ": in the log but not in the tables"));
        logged.clear();
        problems.values().forEach(findings::problem);
    }

    /** Rows read and the records the log has for them, compared on another thread while the next rows are read. */
    private static final class Chunk {
        final List<String> ids = new ArrayList<>(CHUNK);
        final List<byte[]> expected = new ArrayList<>(CHUNK);
        final List<Supplier<JsonNode>> rows = new ArrayList<>(CHUNK);
        final List<Function<JsonNode, String>> columns = new ArrayList<>(CHUNK);

        void add(String id, byte[] logRecord, Supplier<JsonNode> row, Function<JsonNode, String> rowColumns) {
            ids.add(id);
            expected.add(logRecord);
            rows.add(row);
            columns.add(rowColumns);
        }

        /** The problems by id: the paths of the fields in which a row differs from its record in the log. */
        CompletableFuture<Map<String, String>> compare(String what, ReplayedRecords<?> logged, ExecutorService comparers) {
            return CompletableFuture.supplyAsync(() -> {
                Map<String, String> problems = new HashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode row;
                    try {
                        row = rows.get(i).get();
                    } catch (RuntimeException e) {
                        // TableState's own messages name the column; others could quote the stored text, so only their kind
                        String why = e instanceof IllegalStateException ? e.getMessage() : e.getClass().getSimpleName();
                        problems.put(ids.get(i), what + " " + ids.get(i) + ": its row cannot be read as a record (" + why + ")");
                        continue;
                    }
                    if (!Arrays.equals(expected.get(i), Jcs.canonicalOrNull(row))) {
                        problems.put(ids.get(i), what + " " + ids.get(i) + ": "
                                + String.join(", ", RecordDifferences.paths("", logged.parse(expected.get(i)), row)) + " differ(s) from the log");
                    } else {
                        String wrongColumn = columns.get(i).apply(row);
                        if (wrongColumn != null) {
                            problems.put(ids.get(i), what + " " + ids.get(i) + ": " + wrongColumn);
                        }
                    }
                }
                return problems;
            }, comparers);
        }
    }

}
