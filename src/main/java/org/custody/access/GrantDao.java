package org.custody.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.common.SqlTimes;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Per-case grants and the restricted flag. Package-private: written only by this feature's changes. */
@RegisterRowMapper(GrantDao.GrantMapper.class)
interface GrantDao {
    @SqlQuery("SELECT restricted FROM cases WHERE id = :caseId")
    Optional<Boolean> restricted(@Bind("caseId") UUID caseId);

    @SqlUpdate("UPDATE cases SET restricted = :restricted WHERE id = :caseId")
    void setRestricted(@Bind("caseId") UUID caseId, @Bind("restricted") boolean restricted);

    @SqlQuery("SELECT * FROM case_grant WHERE case_id = :caseId ORDER BY granted_at, user_id")
    List<CaseGrant> grants(@Bind("caseId") UUID caseId);

    @SqlQuery("SELECT * FROM case_grant WHERE user_id = :userId ORDER BY granted_at, case_id")
    List<CaseGrant> grantsOf(@Bind("userId") UUID userId);

    @SqlQuery("SELECT * FROM case_grant WHERE case_id = :caseId AND user_id = :userId")
    Optional<CaseGrant> grant(@Bind("caseId") UUID caseId, @Bind("userId") UUID userId);

    @SqlUpdate("""
            INSERT INTO case_grant (case_id, user_id, granted_by, granted_at, expires_at, reason)
            VALUES (:caseId, :userId, :grantedBy, :grantedAt, :expiresAt, :reason)""")
    void insert(@BindMethods CaseGrant grant);

    @SqlUpdate("DELETE FROM case_grant WHERE case_id = :caseId AND user_id = :userId")
    int delete(@Bind("caseId") UUID caseId, @Bind("userId") UUID userId);

    final class GrantMapper implements RowMapper<CaseGrant> {
        @Override
        public CaseGrant map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new CaseGrant(rs.getObject("case_id", UUID.class), rs.getObject("user_id", UUID.class), rs.getObject("granted_by", UUID.class),
                    rs.getTimestamp("granted_at").toInstant(), SqlTimes.instant(rs, "expires_at"), rs.getString("reason"));
        }
    }
}
