package org.custody.cases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.custody.access.Viewer;
import org.custody.common.PartialDate;
import org.custody.common.PlainQuery;
import org.custody.log.ChangeContext;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The case tables. Package-private: only this feature's {@code Change}s write them. */
@RegisterRowMapper(CaseDao.CaseRowMapper.class)
@RegisterRowMapper(CaseDao.StatusChangeMapper.class)
interface CaseDao {
    String CASE_COLUMNS = "id, reference, version, status, restricted, details, created_at, updated_at";
    String FILTER = """
            WHERE (CAST(:status AS VARCHAR(32)) IS NULL OR status = :status)
              AND (CAST(:category AS VARCHAR(32)) IS NULL OR category = :category)
              AND (CAST(:pattern AS VARCHAR(1000)) IS NULL OR search_text LIKE :pattern ESCAPE '\\' OR reference = :reference)
              AND """ + Viewer.SEES_CASE;

    /*
     * The statements of the commonest changes (creating a case, changing its status) are plain statements on the
     * ledger's handle: they run on the one writer thread that limits the append rate, where a SqlObject call costs
     * several times the statement (a copy of JDBI's configuration per call).
     */

    /** A new case, sent with the batch's other new cases (its id is new, so no other change of the batch can look for it). */
    static void insert(ChangeContext context, UUID id, long referenceSeq, String reference, String status, String category, String details,
                       String searchText, Instant createdAt) {
        context.insertWithBatch("""
                        INSERT INTO cases (id, reference_seq, reference, version, status, category, details, search_text, created_at, updated_at)
                        VALUES (:id, :referenceSeq, :reference, 1, :status, :category, :details, :searchText, :createdAt, :createdAt)""",
                row -> row.bind("id", id).bind("referenceSeq", referenceSeq).bind("reference", reference).bind("status", status)
                        .bind("category", category).bind("details", details).bind("searchText", searchText).bind("createdAt", createdAt));
    }

    @SqlQuery("SELECT c.id FROM cases c WHERE c.id IN (<ids>) AND " + Viewer.SEES_CASE)
    List<UUID> visibleAmong(@BindList("ids") Collection<UUID> ids, @BindMethods("viewer") Viewer viewer);

    /** The last reference number given, erased cases' included: a reference is never given twice. */
    @SqlQuery("""
            SELECT GREATEST((SELECT COALESCE(MAX(reference_seq), 0) FROM cases),
                            (SELECT COALESCE(MAX(reference_seq), 0) FROM log_erased_case))""")
    long lastReferenceSequence();

    @SqlUpdate("""
            UPDATE cases SET version = :version, category = :category, details = :details, search_text = :searchText,
                   updated_at = :updatedAt
            WHERE id = :id AND version = :version - 1""")
    int updateDetails(@Bind("id") UUID id, @Bind("version") long version, @Bind("category") String category,
                      @Bind("details") String details, @Bind("searchText") String searchText, @Bind("updatedAt") Instant updatedAt);

    static int updateStatus(Handle handle, UUID id, long version, String status, Instant updatedAt) {
        return handle.createUpdate("UPDATE cases SET version = :version, status = :status, updated_at = :updatedAt WHERE id = :id AND version = :version - 1")
                .bind("id", id).bind("version", version).bind("status", status).bind("updatedAt", updatedAt).execute();
    }

    /** The case if the viewer may see it: a case they may not see is, to them, a case that does not exist. */
    String FIND_VISIBLE = "SELECT " + CASE_COLUMNS + " FROM cases c WHERE c.id = :id AND " + Viewer.SEES_CASE;

    /** {@link #FIND_VISIBLE} for a read, outside any change: in plain JDBC, as every case read runs it. */
    PlainQuery<CaseRow> VISIBLE_CASE = new PlainQuery<>(FIND_VISIBLE, CaseRowMapper::read);

    static Optional<CaseRow> findVisible(DataSource dataSource, UUID id, Viewer viewer) {
        return VISIBLE_CASE.findOne(dataSource, Map.of("id", id), viewer.parameters());
    }

    /**
     * {@link #FIND_VISIBLE} inside a change, on its transaction's handle. A plain statement: every change to a case
     * runs it on the ledger's one writer thread, and a SqlObject call costs several times the query (a copy of the
     * configuration per call).
     */
    static Optional<CaseRow> findVisible(Handle handle, UUID id, Viewer viewer) {
        return viewer.bindTo(handle.createQuery(FIND_VISIBLE)).bind("id", id).map(new CaseRowMapper()).findOne();
    }

    @SqlQuery("SELECT " + CASE_COLUMNS + " FROM cases c " + FILTER + " ORDER BY reference_seq LIMIT :limit OFFSET :offset")
    List<CaseRow> search(@Bind("status") String status, @Bind("category") String category, @Bind("pattern") String pattern,
                         @Bind("reference") String reference, @BindMethods("viewer") Viewer viewer, @Bind("limit") int limit,
                         @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM cases c " + FILTER)
    long count(@Bind("status") String status, @Bind("category") String category, @Bind("pattern") String pattern,
               @Bind("reference") String reference, @BindMethods("viewer") Viewer viewer);

    /**
     * A status change's row, sent with the batch's other status changes. Changes of the same batch only count a case's
     * status changes (numbered through {@link ChangeContext#nextNumber}), never read their rows.
     */
    static void insertStatusChange(ChangeContext context, StatusChange change) {
        context.insertWithBatch("""
                        INSERT INTO status_change (id, case_id, seq, from_status, status, effective_date, effective_approximate,
                                                   reason, evidence_ids, recorded_by, recorded_at)
                        VALUES (:id, :caseId, :sequence, :fromStatus, :status, :effectiveDate, :effectiveApproximate,
                                :reason, :evidenceIds, :recordedBy, :recordedAt)""", row -> row
                .bind("id", change.id()).bind("caseId", change.caseId()).bind("sequence", change.sequence())
                .bind("fromStatus", change.fromStatus().name()).bind("status", change.status().name())
                .bind("effectiveDate", change.effectiveDate().date()).bind("effectiveApproximate", change.effectiveDate().approximate())
                .bind("reason", change.reason()).bind("evidenceIds", joinIds(change.evidenceIds()))
                .bind("recordedBy", change.recordedBy()).bind("recordedAt", change.recordedAt()));
    }

    /**
     * What a status change needs of a case the viewer sees, in one statement: its status, version and the number of its
     * last stored status change (not counting those of the running batch, which are sent at its end). A case's changes
     * are numbered from 1 without gaps, so that number is also their count; read from the end of the unique index on
     * (case, number), so it costs the same for the tenth change and the ten-thousandth (both databases walk the index
     * backwards for this order, where a count would visit every row).
     */
    static Optional<StatusState> findStatusVisible(Handle handle, UUID id, Viewer viewer) {
        return viewer.bindTo(handle.createQuery("SELECT c.status, c.version, COALESCE((SELECT s.seq FROM status_change s WHERE s.case_id = c.id"
                        + " ORDER BY s.case_id DESC, s.seq DESC LIMIT 1), 0) FROM cases c WHERE c.id = :id AND " + Viewer.SEES_CASE))
                .bind("id", id)
                .map((rs, ctx) -> new StatusState(CaseStatus.valueOf(rs.getString(1)), rs.getLong(2), rs.getInt(3))).findOne();
    }

    record StatusState(CaseStatus status, long version, int lastSequence) {}

    @SqlQuery("SELECT * FROM status_change WHERE case_id = :caseId ORDER BY seq LIMIT :limit OFFSET :offset")
    List<StatusChange> statusChanges(@Bind("caseId") UUID caseId, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM status_change WHERE case_id = :caseId")
    long countStatusChanges(@Bind("caseId") UUID caseId);

    /** Of the given evidence ids, those linked to the case, each with whether its details match {@code withdrawnPattern}. */
    @SqlQuery("""
            SELECT l.evidence_id, e.details LIKE :withdrawnPattern AS withdrawn
            FROM evidence_case l JOIN evidence e ON e.id = l.evidence_id
            WHERE l.case_id = :caseId AND l.evidence_id IN (<evidenceIds>)""")
    @RegisterRowMapper(LinkedEvidenceMapper.class)
    List<LinkedEvidence> linkedEvidence(@Bind("caseId") UUID caseId, @BindList("evidenceIds") Collection<UUID> evidenceIds,
                                        @Bind("withdrawnPattern") String withdrawnPattern);

    record LinkedEvidence(UUID id, boolean withdrawn) {}

    final class LinkedEvidenceMapper implements RowMapper<LinkedEvidence> {
        @Override
        public LinkedEvidence map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new LinkedEvidence(rs.getObject("evidence_id", UUID.class), rs.getBoolean("withdrawn"));
        }
    }

    /** A case row before its details JSON is parsed. */
    record CaseRow(UUID id, String reference, long version, CaseStatus status, boolean restricted, String details, Instant createdAt, Instant updatedAt) {}

    static String joinIds(List<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }

    static List<UUID> splitIds(String ids) {
        return ids.isEmpty() ? List.of() : Arrays.stream(ids.split(",")).map(UUID::fromString).toList();
    }

    final class CaseRowMapper implements RowMapper<CaseRow> {
        @Override
        public CaseRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return read(rs);
        }

        static CaseRow read(ResultSet rs) throws SQLException {
            return new CaseRow(rs.getObject("id", UUID.class), rs.getString("reference"), rs.getLong("version"),
                    CaseStatus.valueOf(rs.getString("status")), rs.getBoolean("restricted"), rs.getString("details"),
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
        }
    }

    final class StatusChangeMapper implements RowMapper<StatusChange> {
        @Override
        public StatusChange map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StatusChange(rs.getObject("id", UUID.class), rs.getObject("case_id", UUID.class), rs.getInt("seq"),
                    CaseStatus.valueOf(rs.getString("from_status")), CaseStatus.valueOf(rs.getString("status")),
                    new PartialDate(rs.getString("effective_date"), rs.getBoolean("effective_approximate")),
                    rs.getString("reason"), splitIds(rs.getString("evidence_ids")),
                    rs.getObject("recorded_by", UUID.class), rs.getTimestamp("recorded_at").toInstant());
        }
    }
}
