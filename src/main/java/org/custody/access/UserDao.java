package org.custody.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users and their sessions. Package-private: writes happen only inside this feature's {@code Change}s. */
@RegisterRowMapper(UserDao.UserMapper.class)
interface UserDao {
    String USER_COLUMNS = "id, username, display_name, roles, active, created_at";

    @SqlUpdate("""
            INSERT INTO users (id, username, display_name, roles, active, password_hash, created_at)
            VALUES (:id, :username, :displayName, :roles, :active, :passwordHash, :createdAt)""")
    void insert(@Bind("id") UUID id, @Bind("username") String username, @Bind("displayName") String displayName,
                @Bind("roles") String roles, @Bind("active") boolean active, @Bind("passwordHash") String passwordHash,
                @Bind("createdAt") Instant createdAt);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = :id")
    Optional<User> find(@Bind("id") UUID id);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE username = :username")
    Optional<User> findByUsername(@Bind("username") String username);

    @SqlQuery("SELECT password_hash FROM users WHERE id = :id")
    Optional<String> passwordHash(@Bind("id") UUID id);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users ORDER BY username")
    List<User> list();

    @SqlQuery("SELECT COUNT(*) FROM users")
    long count();

    @SqlUpdate("""
            INSERT INTO sessions (token_hash, id, user_id, created_at, expires_at)
            VALUES (:tokenHash, :id, :userId, :createdAt, :expiresAt)""")
    void insertSession(@Bind("tokenHash") byte[] tokenHash, @Bind("id") UUID id, @Bind("userId") UUID userId,
                       @Bind("createdAt") Instant createdAt, @Bind("expiresAt") Instant expiresAt);

    @SqlUpdate("DELETE FROM sessions WHERE id = :id")
    int deleteSession(@Bind("id") UUID id);

    /** The live session for a token hash, with its user, if the user is active and the session unexpired. */
    @SqlQuery("""
            SELECT u.id, u.username, u.display_name, u.roles, u.active, u.created_at, s.id AS session_id
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = :tokenHash AND s.expires_at > :now AND u.active""")
    @RegisterRowMapper(SessionUserMapper.class)
    Optional<Caller> findLiveSession(@Bind("tokenHash") byte[] tokenHash, @Bind("now") Instant now);

    static String encodeRoles(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
    }

    static Set<Role> decodeRoles(String roles) {
        if (roles.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(roles.split(",")).map(Role::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }

    final class UserMapper implements RowMapper<User> {
        @Override
        public User map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new User(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                    decodeRoles(rs.getString("roles")), rs.getBoolean("active"), rs.getTimestamp("created_at").toInstant());
        }
    }

    final class SessionUserMapper implements RowMapper<Caller> {
        @Override
        public Caller map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Caller(new UserMapper().map(rs, ctx), rs.getObject("session_id", UUID.class));
        }
    }
}
