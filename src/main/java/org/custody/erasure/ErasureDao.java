package org.custody.erasure;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.access.Viewer;
import org.custody.log.LogDao;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The statements of an erasure, all in the ledger's transaction: what the case and its evidence are, which entries
 * describe them, and the deletes. The only statements that delete case content or a log payload.
 */
interface ErasureDao {
    /** A case as an erasure needs it: its reference, which outlives it. */
    record ErasedCase(UUID id, long referenceSeq, String reference) {}

    @SqlQuery("SELECT c.id, c.reference_seq, c.reference FROM cases c WHERE c.id = :caseId AND " + Viewer.SEES_CASE)
    @RegisterRowMapper(ErasedCaseMapper.class)
    Optional<ErasedCase> visibleCase(@Bind("caseId") UUID caseId, @BindMethods("viewer") Viewer viewer);

    /** The last entry that proposed an erasure of the case or withdrew one, with its payload: what decides the pending proposal. */
    @SqlQuery("""
            SELECT e.idx, e.entry_bytes, p.salt, p.payload FROM log_entry e LEFT JOIN log_payload p ON p.idx = e.idx
            WHERE e.subject_id = :caseId AND e.action IN ('case.erasure_proposed', 'case.erasure_withdrawn')
            ORDER BY e.idx DESC LIMIT 1""")
    @RegisterRowMapper(LogDao.StoredEntryMapper.class)
    Optional<LogDao.StoredEntry> lastProposalEntry(@Bind("caseId") UUID caseId);

    @SqlQuery("SELECT evidence_id FROM evidence_case WHERE case_id = :caseId ORDER BY evidence_id")
    List<UUID> linkedEvidence(@Bind("caseId") UUID caseId);

    /** A payload that says which cases an evidence item was linked to. */
    record LinkingPayload(UUID evidenceId, String payload) {}

    /**
     * The payloads that say which cases these evidence items were linked to: each one's creation's and later links'.
     * With them, the cases an item ever concerned, whether or not it is still linked to them. One statement for all.
     */
    @SqlQuery("""
            SELECT e.subject_id, p.payload FROM log_entry e JOIN log_payload p ON p.idx = e.idx
            WHERE e.subject_id IN (<evidenceIds>) AND e.action IN ('evidence.created', 'evidence.linked')""")
    @RegisterRowMapper(LinkingPayloadMapper.class)
    List<LinkingPayload> linkingPayloads(@BindList("evidenceIds") Collection<UUID> evidenceIds);

    /** The entries about these subjects, the records of reads excepted (they hold no content, and say who looked). */
    @SqlQuery("""
            SELECT e.idx FROM log_entry e
            WHERE e.subject_id IN (<subjectIds>) AND e.action NOT IN ('case.viewed', 'evidence.viewed')
            ORDER BY e.idx""")
    List<Long> entriesAbout(@BindList("subjectIds") Collection<UUID> subjectIds);

    @SqlUpdate("DELETE FROM evidence_case WHERE case_id = :caseId")
    void unlinkAllFrom(@Bind("caseId") UUID caseId);

    @SqlBatch("DELETE FROM custody_event WHERE evidence_id = :evidenceId")
    void deleteCustodyEvents(@Bind("evidenceId") List<UUID> evidenceIds);

    @SqlBatch("DELETE FROM evidence WHERE id = :evidenceId")
    void deleteEvidence(@Bind("evidenceId") List<UUID> evidenceIds);

    @SqlUpdate("DELETE FROM status_change WHERE case_id = :caseId")
    void deleteStatusChanges(@Bind("caseId") UUID caseId);

    @SqlUpdate("DELETE FROM case_grant WHERE case_id = :caseId")
    void deleteGrants(@Bind("caseId") UUID caseId);

    @SqlUpdate("DELETE FROM cases WHERE id = :caseId")
    void deleteCase(@Bind("caseId") UUID caseId);

    @SqlUpdate("INSERT INTO log_erased_case (case_id, reference_seq, reference) VALUES (:id, :referenceSeq, :reference)")
    void keepReference(@BindMethods ErasedCase erased);

    /** Names the entries whose payloads go: the append-only defence lets a payload be deleted only once named here. */
    @SqlBatch("INSERT INTO log_erasure (idx, case_id) VALUES (:idx, :caseId)")
    void nameErased(@Bind("idx") List<Long> indexes, @Bind("caseId") UUID caseId);

    @SqlBatch("DELETE FROM log_payload WHERE idx = :idx")
    void deletePayloads(@Bind("idx") List<Long> indexes);

    final class LinkingPayloadMapper implements RowMapper<LinkingPayload> {
        @Override
        public LinkingPayload map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new LinkingPayload(rs.getObject("subject_id", UUID.class), rs.getString("payload"));
        }
    }

    final class ErasedCaseMapper implements RowMapper<ErasedCase> {
        @Override
        public ErasedCase map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ErasedCase(rs.getObject("id", UUID.class), rs.getLong("reference_seq"), rs.getString("reference"));
        }
    }
}
