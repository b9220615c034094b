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

    /** The entry of the erasure proposed of the case and not yet approved or withdrawn, with its payload (expired or not). */
    @SqlQuery("""
            SELECT e.idx, e.entry_bytes, p.salt, p.payload FROM cases c
            JOIN log_entry e ON e.idx = c.erasure_proposal LEFT JOIN log_payload p ON p.idx = e.idx
            WHERE c.id = :caseId""")
    @RegisterRowMapper(LogDao.StoredEntryMapper.class)
    Optional<LogDao.StoredEntry> proposalEntry(@Bind("caseId") UUID caseId);

    /** A case with an erasure proposed of it, and the entry that proposed it. */
    record ProposedCase(UUID caseId, String reference, LogDao.StoredEntry entry) {}

    /** The cases the viewer may see with an erasure proposed and not yet approved or withdrawn (expired or not), oldest proposal first. */
    @SqlQuery("""
            SELECT c.id, c.reference, e.idx, e.entry_bytes, p.salt, p.payload FROM cases c
            JOIN log_entry e ON e.idx = c.erasure_proposal LEFT JOIN log_payload p ON p.idx = e.idx
            WHERE c.erasure_proposal IS NOT NULL AND """ + Viewer.SEES_CASE + " ORDER BY c.erasure_proposal")
    @RegisterRowMapper(ProposedCaseMapper.class)
    List<ProposedCase> proposedCases(@BindMethods("viewer") Viewer viewer);

    /** Records the case's pending proposal (null: none), which the list of proposals and the approval read. */
    @SqlUpdate("UPDATE cases SET erasure_proposal = :proposal WHERE id = :caseId")
    void setProposal(@Bind("caseId") UUID caseId, @Bind("proposal") Long proposal);

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

    final class ProposedCaseMapper implements RowMapper<ProposedCase> {
        private final LogDao.StoredEntryMapper entries = new LogDao.StoredEntryMapper();

        @Override
        public ProposedCase map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ProposedCase(rs.getObject("id", UUID.class), rs.getString("reference"), entries.map(rs, ctx));
        }
    }

    final class ErasedCaseMapper implements RowMapper<ErasedCase> {
        @Override
        public ErasedCase map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ErasedCase(rs.getObject("id", UUID.class), rs.getLong("reference_seq"), rs.getString("reference"));
        }
    }
}
