package org.custody.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.custody.common.SqlTimes;
import org.custody.log.signing.NoteKey;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The tree's tiles, the head's root, signed checkpoints and log keys. */
@RegisterRowMapper(TreeDao.KeyRowMapper.class)
public interface TreeDao {

    @SqlQuery("SELECT note FROM log_checkpoint WHERE size = :size")
    Optional<String> checkpoint(@Bind("size") long size);

    @SqlQuery("SELECT note FROM log_checkpoint ORDER BY size DESC LIMIT 1")
    Optional<String> latestCheckpoint();

    @SqlQuery("SELECT key_id, name, public_key, valid_from, valid_until FROM log_key WHERE valid_until IS NULL ORDER BY valid_from")
    List<KeyRow> currentKeys();

    @SqlQuery("SELECT key_id, name, public_key, valid_from, valid_until FROM log_key ORDER BY valid_from, key_id")
    List<KeyRow> allKeys();

    @SqlUpdate("INSERT INTO log_key (key_id, name, public_key, valid_from) VALUES (:keyId, :name, :publicKey, :validFrom)")
    void insertKey(@Bind("keyId") String keyId, @Bind("name") String name, @Bind("publicKey") byte[] publicKey, @Bind("validFrom") Instant validFrom);

    @SqlUpdate("UPDATE log_key SET valid_until = :validUntil WHERE key_id = :keyId AND valid_until IS NULL")
    int retireKey(@Bind("keyId") String keyId, @Bind("validUntil") Instant validUntil);

    /** A log key as stored: its public half and when it was the signing key. */
    record KeyRow(String keyId, String name, byte[] publicKey, Instant validFrom, Instant validUntil) {
        /** The key as signed notes name and check it. */
        public NoteKey noteKey() {
            return new NoteKey(name, publicKey);
        }
    }

    final class KeyRowMapper implements RowMapper<KeyRow> {
        @Override
        public KeyRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new KeyRow(rs.getString("key_id"), rs.getString("name"), rs.getBytes("public_key"), rs.getTimestamp("valid_from").toInstant(),
                    SqlTimes.instant(rs, "valid_until"));
        }
    }
}
