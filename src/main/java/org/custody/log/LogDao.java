package org.custody.log;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Reading the log's tables. The ledger's batch writes them through {@link BatchStatements}; there is deliberately no
 * statement anywhere that updates or deletes an entry, a payload or a case link.
 */
@RegisterRowMapper(LogDao.StoredEntryMapper.class)
public interface LogDao {
    /** The log head: how many entries the log has and the Merkle root over them (null while empty). */
    record Head(long size, byte[] root) {}

    @SqlQuery("SELECT size FROM log_head WHERE id = 1")
    long size();

    @SqlQuery("SELECT size, root FROM log_head WHERE id = 1")
    @RegisterRowMapper(HeadMapper.class)
    Head head();

    /**
     * A page of a case's entries (its history, or its access log), newest first. The page is chosen on the links and
     * the action alone and only its own entries are read whole with their payloads: with the payload joined before
     * the OFFSET, PostgreSQL read and sorted the payloads of every entry the page skips (a case with 20,000 entries:
     * 240 ms for the page at offset 10,000, against 1.3 ms for the first).
     */
    String ENTRIES_FOR_CASE = """
            SELECT e.idx, e.entry_bytes, p.salt, p.payload
            FROM (SELECT c.idx FROM log_case c JOIN log_entry a ON a.idx = c.idx
                  WHERE c.case_id = :caseId AND (a.action IN (<actions>)) = :included
                  ORDER BY c.idx DESC LIMIT :limit OFFSET :offset) page
            JOIN log_entry e ON e.idx = page.idx
            LEFT JOIN log_payload p ON p.idx = e.idx
            ORDER BY e.idx DESC""";

    @SqlQuery(ENTRIES_FOR_CASE)
    List<StoredEntry> entriesForCase(@Bind("caseId") UUID caseId, @BindList("actions") List<String> actions, @Bind("included") boolean included,
                                     @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT COUNT(*) FROM log_case c JOIN log_entry e ON e.idx = c.idx
            WHERE c.case_id = :caseId AND (e.action IN (<actions>)) = :included""")
    long countForCase(@Bind("caseId") UUID caseId, @BindList("actions") List<String> actions, @Bind("included") boolean included);

    /**
     * A page of entries from index {@code from}. Both page queries name the lower bound for the payloads too, although
     * the join implies it: without it PostgreSQL 17 merges the two primary keys with the payloads' scan starting at
     * index 0, so a page of 5,000 at index 900,000 read 905,000 payload rows (230 ms, against 4 ms with the bound),
     * and verify-log's pages over a million entries took most of its time.
     */
    String ENTRIES_FROM = """
            SELECT e.idx, e.entry_bytes, p.salt, p.payload
            FROM log_entry e LEFT JOIN log_payload p ON p.idx = e.idx AND p.idx >= :from
            WHERE e.idx >= :from ORDER BY e.idx LIMIT :limit""";

    /** {@link #ENTRIES_FROM} with the lookup columns. */
    String ENTRIES_WITH_COPIES_FROM = """
            SELECT e.idx, e.entry_bytes, p.salt, p.payload, e.action, e.subject_type, e.subject_id, e.recorded_at
            FROM log_entry e LEFT JOIN log_payload p ON p.idx = e.idx AND p.idx >= :from
            WHERE e.idx >= :from ORDER BY e.idx LIMIT :limit""";

    @SqlQuery(ENTRIES_FROM)
    List<StoredEntry> entriesFrom(@Bind("from") long from, @Bind("limit") int limit);

    /** The entries at {@code indexes}, newest first. */
    @SqlQuery("""
            SELECT e.idx, e.entry_bytes, p.salt, p.payload
            FROM log_entry e LEFT JOIN log_payload p ON p.idx = e.idx
            WHERE e.idx IN (<indexes>) ORDER BY e.idx DESC""")
    List<StoredEntry> entriesAt(@BindList("indexes") List<Long> indexes);

    /** Entries with the columns copied out of their bytes for lookups, which verify-log checks against the bytes. */
    @SqlQuery(ENTRIES_WITH_COPIES_FROM)
    @RegisterRowMapper(EntryWithCopiesMapper.class)
    List<EntryWithCopies> entriesWithCopiesFrom(@Bind("from") long from, @Bind("limit") int limit);

    /** An entry as stored: its bytes and, unless erased, the salted payload it commits to. */
    record StoredEntry(long idx, byte[] entryBytes, byte[] salt, String payload) {}

    /** An entry and the lookup columns copied from it when it was written. */
    record EntryWithCopies(StoredEntry stored, String action, String subjectType, UUID subjectId, Instant recordedAt) {}

    final class EntryWithCopiesMapper implements RowMapper<EntryWithCopies> {
        @Override
        public EntryWithCopies map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new EntryWithCopies(new StoredEntryMapper().map(rs, ctx), rs.getString("action"), rs.getString("subject_type"),
                    rs.getObject("subject_id", UUID.class), rs.getTimestamp("recorded_at").toInstant());
        }
    }

    final class StoredEntryMapper implements RowMapper<StoredEntry> {
        @Override
        public StoredEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredEntry(rs.getLong("idx"), rs.getBytes("entry_bytes"), rs.getBytes("salt"), rs.getString("payload"));
        }
    }

    final class HeadMapper implements RowMapper<Head> {
        @Override
        public Head map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Head(rs.getLong("size"), rs.getBytes("root"));
        }
    }
}
