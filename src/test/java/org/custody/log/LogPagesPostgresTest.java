package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.custody.Core;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The log's page queries on PostgreSQL read about one page of payloads, wherever the page begins. Without the
 * payloads' own lower bound PostgreSQL merged the two primary keys from index 0 (see {@link LogDao#ENTRIES_FROM}), so
 * that verify-log's pages over a long log read the payload table again and again; a deep page of a case's history or
 * access log read the payloads of every entry it skipped ({@link LogDao#ENTRIES_FOR_CASE}). Checked with the planner's
 * own count of the rows it read, on tables long enough for it to choose those plans.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogPagesPostgresTest {
    private static final int ENTRIES = 200_000;
    private static final int PAGE = 5_000;
    private static final long FROM = ENTRIES - 2 * PAGE;
    /** A case linked to every tenth entry: 20,000 entries, every second one a change (case.updated), the rest reads. */
    private static final UUID CASE = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final List<String> ACCESS = LogAction.ACCESS.stream().map(LogAction::wireName).toList();
    private final ObjectMapper mapper = new ObjectMapper();
    private Core core;
    private java.nio.file.Path dataDirectory;
    private long first;

    @BeforeAll
    void start() throws Exception {
        dataDirectory = TempDirectories.create("custody-pages");
        core = TestConfigs.startCore(TestDatabase.fresh(TestDatabase.Kind.POSTGRES), dataDirectory, Clock.systemUTC());
        // rows of the right shape written straight into the tables (the ledger would take minutes): only the page
        // queries read them
        first = core.logReader().size();
        core.jdbi().useHandle(handle -> {
            handle.createUpdate("""
                    INSERT INTO log_entry (idx, entry_bytes, action, subject_type, subject_id, recorded_at)
                    SELECT g, convert_to(repeat(md5(g::text), 8), 'UTF8'), CASE WHEN g % 20 = 0 THEN 'case.updated' ELSE 'case.viewed' END,
                           'case', gen_random_uuid(), now()
                    FROM generate_series(:first, :last) g""").bind("first", first).bind("last", first + ENTRIES - 1).execute();
            handle.createUpdate("""
                    INSERT INTO log_payload (idx, salt, payload)
                    SELECT g, decode(md5(g::text), 'hex'), '{"n":' || g || '}' FROM generate_series(:first, :last) g""")
                    .bind("first", first).bind("last", first + ENTRIES - 1).execute();
            handle.createUpdate("INSERT INTO log_case (case_id, idx) SELECT :caseId, g FROM generate_series(:first, :last) g WHERE g % 10 = 0")
                    .bind("caseId", CASE).bind("first", first).bind("last", first + ENTRIES - 1).execute();
            handle.execute("ANALYZE log_case");
            handle.execute("ANALYZE log_entry");
            handle.execute("ANALYZE log_payload");
        });
    }

    @AfterAll
    void stop() throws Exception {
        core.stop();
        TempDirectories.delete(dataDirectory);
    }

    @Test
    void aPageFarIntoTheLogReadsAboutAPageOfPayloads() throws Exception {
        for (String query : List.of(LogDao.ENTRIES_FROM, LogDao.ENTRIES_WITH_COPIES_FROM)) {
            JsonNode plan = core.jdbi().withHandle(handle -> mapper.readTree(handle.createQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + query)
                    .bind("from", first + FROM).bind("limit", PAGE).mapTo(String.class).one()));
            List<JsonNode> payloadScans = new ArrayList<>();
            collect(plan.get(0).get("Plan"), payloadScans);
            assertThat(payloadScans).as("plan %s", plan).isNotEmpty();
            for (JsonNode scan : payloadScans) {
                assertThat(scan.get("Actual Rows").asLong() * scan.get("Actual Loops").asLong()).as("payload rows read, plan %s", plan)
                        .isLessThanOrEqualTo(PAGE);
            }
        }
    }

    @Test
    void aPageFarIntoTheLogHoldsItsEntriesWithTheirPayloads() {
        List<LogDao.EntryWithCopies> page = core.jdbi().withExtension(LogDao.class, log -> log.entriesWithCopiesFrom(first + FROM, PAGE));
        assertThat(page).hasSize(PAGE);
        for (int i = 0; i < PAGE; i++) {
            long index = first + FROM + i;
            assertThat(page.get(i).stored().idx()).isEqualTo(index);
            assertThat(page.get(i).stored().payload()).isEqualTo("{\"n\":" + index + "}");
        }
        List<LogDao.StoredEntry> last = core.jdbi().withExtension(LogDao.class, log -> log.entriesFrom(first + ENTRIES - 3, PAGE));
        assertThat(last).extracting(LogDao.StoredEntry::idx).containsExactly(first + ENTRIES - 3, first + ENTRIES - 2, first + ENTRIES - 1);
        assertThat(last).allSatisfy(entry -> assertThat(entry.payload()).isEqualTo("{\"n\":" + entry.idx() + "}"));
    }

    @Test
    void aPageDeepIntoACasesEntriesReadsThePayloadsOfThatPageOnly() throws Exception {
        for (boolean access : List.of(true, false)) {
            JsonNode plan = core.jdbi().withHandle(handle -> mapper.readTree(handle.createQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + LogDao.ENTRIES_FOR_CASE)
                    .bind("caseId", CASE).bindList("actions", ACCESS).bind("included", access).bind("limit", 50).bind("offset", 5_000L)
                    .mapTo(String.class).one()));
            List<JsonNode> payloadScans = new ArrayList<>();
            collect(plan.get(0).get("Plan"), payloadScans);
            assertThat(payloadScans).as("plan %s", plan).isNotEmpty();
            for (JsonNode scan : payloadScans) {
                assertThat(scan.get("Actual Rows").asLong() * scan.get("Actual Loops").asLong()).as("payload rows read, plan %s", plan)
                        .isLessThanOrEqualTo(50);
            }
        }
    }

    @Test
    void aPageDeepIntoACasesEntriesHoldsThoseEntriesNewestFirst() {
        // the case's entries are first + 10k; every second of them (first + 20k) a change, the others reads
        List<Long> linked = new ArrayList<>();
        for (long g = first + ENTRIES - 1; g >= first; g--) {
            if (g % 10 == 0) {
                linked.add(g);
            }
        }
        List<Long> changes = linked.stream().filter(g -> g % 20 == 0).toList();
        List<Long> reads = linked.stream().filter(g -> g % 20 != 0).toList();
        for (boolean access : List.of(true, false)) {
            List<Long> expected = (access ? reads : changes).subList(5_000, 5_050);
            List<LogDao.StoredEntry> page = core.jdbi().withExtension(LogDao.class, log -> log.entriesForCase(CASE, ACCESS, access, 50, 5_000));
            assertThat(page).extracting(LogDao.StoredEntry::idx).as("access log: %s", access).containsExactlyElementsOf(expected);
            assertThat(page).allSatisfy(entry -> assertThat(entry.payload()).isEqualTo("{\"n\":" + entry.idx() + "}"));
            assertThat(page).allSatisfy(entry -> assertThat(entry.entryBytes()).isNotEmpty());
        }
        List<LogDao.StoredEntry> last = core.jdbi().withExtension(LogDao.class, log -> log.entriesForCase(CASE, ACCESS, false, 50, changes.size() - 3));
        assertThat(last).extracting(LogDao.StoredEntry::idx).containsExactlyElementsOf(changes.subList(changes.size() - 3, changes.size()));
    }

    /** Every plan node that reads log_payload. */
    private static void collect(JsonNode node, List<JsonNode> payloadScans) {
        if ("log_payload".equals(node.path("Relation Name").asText())) {
            payloadScans.add(node);
        }
        node.path("Plans").forEach(child -> collect(child, payloadScans));
    }
}
