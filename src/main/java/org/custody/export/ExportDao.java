package org.custody.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.access.Viewer;
import org.custody.log.LogDao;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Exports and the log entries a bundle carries. Insert-only, like the log. */
@RegisterRowMapper(LogDao.StoredEntryMapper.class)
public interface ExportDao {
    /** Those of the cases the viewer may see, in no order: one statement for many, as an export of thousands asks. */
    @SqlQuery("SELECT c.id, c.reference FROM cases c WHERE c.id IN (<caseIds>) AND " + Viewer.SEES_CASE)
    @RegisterRowMapper(ExportedCaseMapper.class)
    List<ExportRecord.ExportedCase> visibleCases(@BindList("caseIds") List<UUID> caseIds, @BindMethods("viewer") Viewer viewer);

    /** The latest signed checkpoint: everything committed before this transaction is under it. */
    @SqlQuery("SELECT MAX(size) FROM log_checkpoint")
    long latestCheckpointSize();

    @SqlQuery("SELECT signed_at FROM log_checkpoint WHERE size = :size")
    Instant checkpointSignedAt(@Bind("size") long size);

    /** The latest checkpoint signed at or before {@code at}: the log as it stood then. Null before the first. */
    @SqlQuery("SELECT MAX(size) FROM log_checkpoint WHERE signed_at <= :at")
    Long checkpointSizeAt(@Bind("at") Instant at);

    /** The first entry about each of these cases (its creation), for the cases that have one. */
    @SqlQuery("SELECT case_id, MIN(idx) FROM log_case WHERE case_id IN (<caseIds>) GROUP BY case_id")
    @RegisterRowMapper(FirstEntryMapper.class)
    List<FirstEntry> firstEntries(@BindList("caseIds") List<UUID> caseIds);

    record FirstEntry(UUID caseId, long index) {}

    final class FirstEntryMapper implements org.jdbi.v3.core.mapper.RowMapper<FirstEntry> {
        @Override
        public FirstEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new FirstEntry(rs.getObject(1, UUID.class), rs.getLong(2));
        }
    }

    @SqlUpdate("""
            INSERT INTO exports (id, requested_by, purpose, include_payloads, checkpoint_size, created_at)
            VALUES (:id, :requestedBy, :purpose, :includePayloads, :checkpointSize, :createdAt)""")
    void insert(@BindMethods ExportRecord export);

    @SqlBatch("INSERT INTO export_case (export_id, case_id) VALUES (:exportId, :caseId)")
    void insertCases(@Bind("exportId") UUID exportId, @Bind("caseId") List<UUID> caseIds);

    @SqlQuery("SELECT id, requested_by, purpose, include_payloads, checkpoint_size, created_at FROM exports WHERE id = :id")
    @RegisterRowMapper(HeaderMapper.class)
    Optional<Header> find(@Bind("id") UUID id);

    @SqlQuery("""
            SELECT id, requested_by, purpose, include_payloads, checkpoint_size, created_at FROM exports
            WHERE requested_by = :requestedBy OR :everyone
            ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset""")
    @RegisterRowMapper(HeaderMapper.class)
    List<Header> list(@Bind("requestedBy") UUID requestedBy, @Bind("everyone") boolean everyone, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM exports WHERE requested_by = :requestedBy OR :everyone")
    long count(@Bind("requestedBy") UUID requestedBy, @Bind("everyone") boolean everyone);

    /** The cases an export holds, an erased one by the reference it had (what was handed out stays on record). */
    @SqlQuery("""
            SELECT x.case_id AS id, COALESCE(c.reference, e.reference) AS reference FROM export_case x
            LEFT JOIN cases c ON c.id = x.case_id LEFT JOIN log_erased_case e ON e.case_id = x.case_id
            WHERE x.export_id = :exportId ORDER BY reference""")
    @RegisterRowMapper(ExportedCaseMapper.class)
    List<ExportRecord.ExportedCase> cases(@Bind("exportId") UUID exportId);

    /** The requester's exports made before this one: the bundle proves the log only grew since each of them. */
    @SqlQuery("""
            SELECT id, requested_by, purpose, include_payloads, checkpoint_size, created_at FROM exports
            WHERE requested_by = :requestedBy AND created_at <= :createdAt AND checkpoint_size <= :checkpointSize AND id <> :id
            ORDER BY checkpoint_size, created_at""")
    @RegisterRowMapper(HeaderMapper.class)
    List<Header> earlier(@BindMethods ExportRecord export);

    /**
     * The requester's exports made before this one but anchored to a larger tree: this one shows the log as it stood
     * earlier ({@code asOf}), so the bundle proves that its log is a prefix of each of theirs.
     */
    @SqlQuery("""
            SELECT id, requested_by, purpose, include_payloads, checkpoint_size, created_at FROM exports
            WHERE requested_by = :requestedBy AND created_at <= :createdAt AND checkpoint_size > :checkpointSize AND id <> :id
            ORDER BY checkpoint_size, created_at""")
    @RegisterRowMapper(HeaderMapper.class)
    List<Header> earlierOfLargerTrees(@BindMethods ExportRecord export);

    @SqlQuery("SELECT username FROM users WHERE id = :id")
    String username(@Bind("id") UUID id);

    /** Indexes below {@code size} of the entries linked to these cases, of the given actions. */
    @SqlQuery("""
            SELECT DISTINCT c.idx FROM log_case c JOIN log_entry e ON e.idx = c.idx
            WHERE c.case_id IN (<caseIds>) AND c.idx < :size AND e.action IN (<actions>)""")
    List<Long> caseEntryIndexes(@BindList("caseIds") List<UUID> caseIds, @Bind("size") long size, @BindList("actions") List<String> actions);

    /** The entries below {@code size} that put evidence items on these cases or take them off, in log order. */
    @SqlQuery("""
            SELECT e.subject_id, e.idx, e.action, c.case_id FROM log_case c JOIN log_entry e ON e.idx = c.idx
            WHERE c.case_id IN (<caseIds>) AND c.idx < :size AND e.subject_type = 'evidence'
              AND e.action IN ('evidence.created', 'evidence.linked', 'evidence.unlinked')
            ORDER BY e.idx""")
    @RegisterRowMapper(LinkChangeMapper.class)
    List<LinkChange> linkChanges(@BindList("caseIds") List<UUID> caseIds, @Bind("size") long size);

    /** The entries below {@code size} about these evidence items, of the given actions (its creation may be linked to another case). */
    @SqlQuery("""
            SELECT subject_id, idx FROM log_entry
            WHERE subject_type = 'evidence' AND subject_id IN (<evidenceIds>) AND idx < :size AND action IN (<actions>)""")
    @RegisterRowMapper(ItemEntryMapper.class)
    List<ItemEntry> evidenceEntries(@BindList("evidenceIds") List<UUID> evidenceIds, @Bind("size") long size, @BindList("actions") List<String> actions);

    @SqlQuery("""
            SELECT e.idx, e.entry_bytes, p.salt, p.payload
            FROM log_entry e LEFT JOIN log_payload p ON p.idx = e.idx
            WHERE e.idx IN (<indexes>) ORDER BY e.idx""")
    List<LogDao.StoredEntry> entriesAt(@BindList("indexes") List<Long> indexes);

    /** An export's own columns; its cases are read apart. */
    record Header(UUID id, UUID requestedBy, String purpose, boolean includePayloads, long checkpointSize, Instant createdAt) {
        ExportRecord with(List<ExportRecord.ExportedCase> cases) {
            return new ExportRecord(id, requestedBy, purpose, cases, includePayloads, checkpointSize, createdAt);
        }
    }

    /** An evidence item put on a case (created or linked) or taken off it ({@code unlinked}). */
    record LinkChange(UUID evidenceId, long index, boolean unlinked, UUID caseId) {}

    record ItemEntry(UUID evidenceId, long index) {}

    final class LinkChangeMapper implements org.jdbi.v3.core.mapper.RowMapper<LinkChange> {
        @Override
        public LinkChange map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new LinkChange(rs.getObject("subject_id", UUID.class), rs.getLong("idx"), rs.getString("action").equals("evidence.unlinked"),
                    rs.getObject("case_id", UUID.class));
        }
    }

    final class ItemEntryMapper implements org.jdbi.v3.core.mapper.RowMapper<ItemEntry> {
        @Override
        public ItemEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ItemEntry(rs.getObject("subject_id", UUID.class), rs.getLong("idx"));
        }
    }

    final class HeaderMapper implements org.jdbi.v3.core.mapper.RowMapper<Header> {
        @Override
        public Header map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Header(rs.getObject("id", UUID.class), rs.getObject("requested_by", UUID.class), rs.getString("purpose"),
                    rs.getBoolean("include_payloads"), rs.getLong("checkpoint_size"), rs.getTimestamp("created_at").toInstant());
        }
    }

    final class ExportedCaseMapper implements org.jdbi.v3.core.mapper.RowMapper<ExportRecord.ExportedCase> {
        @Override
        public ExportRecord.ExportedCase map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ExportRecord.ExportedCase(rs.getObject("id", UUID.class), rs.getString("reference"));
        }
    }
}
