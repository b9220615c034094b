package org.custody.evidence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.access.Viewer;
import org.custody.common.Sha256Digest;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Evidence references, their links to cases and their custody events. Writes only from this feature's changes. */
@RegisterRowMapper(EvidenceDao.EvidenceRowMapper.class)
@RegisterRowMapper(EvidenceDao.CustodyEventMapper.class)
interface EvidenceDao {
    /** {@code kind} and {@code sha256} are the details' own, in columns of their own for filters and look-ups. */
    @SqlUpdate("""
            INSERT INTO evidence (id, version, kind, sha256, details, created_at, updated_at)
            VALUES (:id, 1, :kind, :sha256, :details, :createdAt, :createdAt)""")
    void insert(@Bind("id") UUID id, @Bind("kind") String kind, @Bind("sha256") String sha256, @Bind("details") String details,
                @Bind("createdAt") Instant createdAt);

    @SqlUpdate("""
            UPDATE evidence SET version = :version, kind = :kind, sha256 = :sha256, details = :details, updated_at = :updatedAt
            WHERE id = :id AND version = :version - 1""")
    int update(@Bind("id") UUID id, @Bind("version") long version, @Bind("kind") String kind, @Bind("sha256") String sha256,
               @Bind("details") String details, @Bind("updatedAt") Instant updatedAt);

    @SqlUpdate("INSERT INTO evidence_case (evidence_id, case_id, linked_at) VALUES (:evidenceId, :caseId, :linkedAt)")
    void link(@Bind("evidenceId") UUID evidenceId, @Bind("caseId") UUID caseId, @Bind("linkedAt") Instant linkedAt);

    @SqlUpdate("DELETE FROM evidence_case WHERE evidence_id = :evidenceId AND case_id = :caseId")
    int unlink(@Bind("evidenceId") UUID evidenceId, @Bind("caseId") UUID caseId);

    /** How many of the case's status changes cite the item ({@code evidence_ids} holds ids joined by commas). */
    @SqlQuery("SELECT COUNT(*) FROM status_change WHERE case_id = :caseId AND evidence_ids LIKE '%' || :evidenceId || '%'")
    int citations(@Bind("caseId") UUID caseId, @Bind("evidenceId") String evidenceId);

    /**
     * An evidence item is visible to whoever may see at least one of the cases it is linked to. One linked to no case
     * yet (a video registered before anyone in it is identified) concerns no restricted case, so it is visible to those
     * who see every unrestricted case: the case workers, who can then link it.
     */
    String VISIBLE = "(EXISTS (SELECT 1 FROM evidence_case l JOIN cases c ON c.id = l.case_id WHERE l.evidence_id = e.id AND "
            + Viewer.SEES_CASE + ")"
            + " OR (:viewer.seesUnrestricted AND NOT EXISTS (SELECT 1 FROM evidence_case u WHERE u.evidence_id = e.id)))";

    @SqlQuery("SELECT e.id FROM evidence e WHERE e.id IN (<ids>) AND " + VISIBLE)
    List<UUID> visibleAmong(@BindList("ids") Collection<UUID> ids, @BindMethods("viewer") Viewer viewer);

    @SqlQuery("SELECT e.id, e.version, e.details, e.created_at, e.updated_at FROM evidence e WHERE e.id = :id AND " + VISIBLE)
    Optional<EvidenceRow> findVisible(@Bind("id") UUID id, @BindMethods("viewer") Viewer viewer);

    @SqlQuery("SELECT e.id, e.version, e.details, e.created_at, e.updated_at FROM evidence e WHERE " + VISIBLE
            + " ORDER BY e.created_at, e.id LIMIT :limit OFFSET :offset")
    List<EvidenceRow> list(@BindMethods("viewer") Viewer viewer, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM evidence e WHERE " + VISIBLE)
    long count(@BindMethods("viewer") Viewer viewer);

    /**
     * The references to one original, by its digest (64 hexadecimal digits, lower case), read from the digests' index:
     * a statement of their own, since a condition that may or may not apply would keep a planner from the index.
     */
    @SqlQuery("SELECT e.id, e.version, e.details, e.created_at, e.updated_at FROM evidence e WHERE e.sha256 = :digest AND " + VISIBLE
            + " ORDER BY e.created_at, e.id LIMIT :limit OFFSET :offset")
    List<EvidenceRow> listByDigest(@BindMethods("viewer") Viewer viewer, @Bind("digest") String digest, @Bind("limit") int limit,
                                   @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM evidence e WHERE e.sha256 = :digest AND " + VISIBLE)
    long countByDigest(@BindMethods("viewer") Viewer viewer, @Bind("digest") String digest);

    static String digest(Sha256Digest digest) {
        return digest == null ? null : digest.hex();
    }

    /** The cases an evidence item is linked to that the viewer may see: the others are not theirs to know of. */
    @SqlQuery("SELECT l.case_id FROM evidence_case l JOIN cases c ON c.id = l.case_id WHERE l.evidence_id = :evidenceId AND "
            + Viewer.SEES_CASE + " ORDER BY l.case_id")
    List<UUID> visibleCaseIds(@Bind("evidenceId") UUID evidenceId, @BindMethods("viewer") Viewer viewer);

    @SqlQuery("""
            SELECT e.id, e.version, e.details, e.created_at, e.updated_at
            FROM evidence e JOIN evidence_case l ON l.evidence_id = e.id
            WHERE l.case_id = :caseId ORDER BY e.created_at, e.id LIMIT :limit OFFSET :offset""")
    List<EvidenceRow> forCase(@Bind("caseId") UUID caseId, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM evidence_case WHERE case_id = :caseId")
    long countForCase(@Bind("caseId") UUID caseId);

    @SqlQuery("SELECT case_id FROM evidence_case WHERE evidence_id = :evidenceId ORDER BY case_id")
    List<UUID> caseIds(@Bind("evidenceId") UUID evidenceId);

    @SqlQuery("SELECT COUNT(*) FROM cases c WHERE c.id = :caseId AND " + Viewer.SEES_CASE)
    int caseVisible(@Bind("caseId") UUID caseId, @BindMethods("viewer") Viewer viewer);

    @SqlUpdate("""
            INSERT INTO custody_event (id, evidence_id, seq, action, performed_at, note, recorded_by, recorded_at)
            VALUES (:id, :evidenceId, :sequence, :action, :performedAt, :note, :recordedBy, :recordedAt)""")
    void insertCustodyEvent(@Bind("id") UUID id, @Bind("evidenceId") UUID evidenceId, @Bind("sequence") int sequence,
                            @Bind("action") String action, @Bind("performedAt") Instant performedAt, @Bind("note") String note,
                            @Bind("recordedBy") UUID recordedBy, @Bind("recordedAt") Instant recordedAt);

    @SqlQuery("SELECT COUNT(*) FROM custody_event WHERE evidence_id = :evidenceId")
    int custodyEventCount(@Bind("evidenceId") UUID evidenceId);

    /**
     * The number of the item's last custody event, 0 before the first: numbered from 1 without gaps, read from the end
     * of the unique index on (item, number) rather than counted (see {@code CaseDao.findStatusVisible}).
     */
    @SqlQuery("SELECT COALESCE((SELECT seq FROM custody_event WHERE evidence_id = :evidenceId ORDER BY evidence_id DESC, seq DESC LIMIT 1), 0)")
    int lastCustodyEventSequence(@Bind("evidenceId") UUID evidenceId);

    @SqlQuery("SELECT * FROM custody_event WHERE evidence_id = :evidenceId ORDER BY seq LIMIT :limit OFFSET :offset")
    List<CustodyEvent> custodyEvents(@Bind("evidenceId") UUID evidenceId, @Bind("limit") int limit, @Bind("offset") long offset);

    /** An evidence row before its details JSON is parsed. */
    record EvidenceRow(UUID id, long version, String details, Instant createdAt, Instant updatedAt) {}

    final class EvidenceRowMapper implements RowMapper<EvidenceRow> {
        @Override
        public EvidenceRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new EvidenceRow(rs.getObject("id", UUID.class), rs.getLong("version"), rs.getString("details"),
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
        }
    }

    final class CustodyEventMapper implements RowMapper<CustodyEvent> {
        @Override
        public CustodyEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new CustodyEvent(rs.getObject("id", UUID.class), rs.getObject("evidence_id", UUID.class), rs.getInt("seq"),
                    CustodyAction.valueOf(rs.getString("action")), rs.getTimestamp("performed_at").toInstant(), rs.getString("note"),
                    rs.getObject("recorded_by", UUID.class), rs.getTimestamp("recorded_at").toInstant());
        }
    }
}
