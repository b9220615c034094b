package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * that verify-log's pages over a long log read the payload table again and again. Checked with the planner's own
 * count of the rows it read, on a table long enough for it to choose that merge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogPagesPostgresTest {
    private static final int ENTRIES = 200_000;
    private static final int PAGE = 5_000;
    private static final long FROM = ENTRIES - 2 * PAGE;
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
                    SELECT g, convert_to(repeat(md5(g::text), 8), 'UTF8'), 'case.viewed', 'case', gen_random_uuid(), now()
                    FROM generate_series(:first, :last) g""").bind("first", first).bind("last", first + ENTRIES - 1).execute();
            handle.createUpdate("""
                    INSERT INTO log_payload (idx, salt, payload)
                    SELECT g, decode(md5(g::text), 'hex'), '{"n":' || g || '}' FROM generate_series(:first, :last) g""")
                    .bind("first", first).bind("last", first + ENTRIES - 1).execute();
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

    /** Every plan node that reads log_payload. */
    private static void collect(JsonNode node, List<JsonNode> payloadScans) {
        if ("log_payload".equals(node.path("Relation Name").asText())) {
            payloadScans.add(node);
        }
        node.path("Plans").forEach(child -> collect(child, payloadScans));
    }
}
