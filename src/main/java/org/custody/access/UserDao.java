package org.custody.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.custody.common.PlainQuery;
import org.custody.common.SqlTimes;
import org.jdbi.v3.core.Handle;
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

    /** A new, active user whose password is a one-time one, expiring at {@code passwordExpiresAt}. */
    @SqlUpdate("""
            INSERT INTO users (id, username, display_name, roles, active, password_hash, must_change_password, password_expires_at, created_at)
            VALUES (:id, :username, :displayName, :roles, TRUE, :passwordHash, TRUE, :passwordExpiresAt, :createdAt)""")
    void insert(@Bind("id") UUID id, @Bind("username") String username, @Bind("displayName") String displayName,
                @Bind("roles") String roles, @Bind("passwordHash") String passwordHash, @Bind("passwordExpiresAt") Instant passwordExpiresAt,
                @Bind("createdAt") Instant createdAt);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = :id")
    Optional<User> find(@Bind("id") UUID id);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users WHERE username = :username")
    Optional<User> findByUsername(@Bind("username") String username);

    @SqlQuery("SELECT " + USER_COLUMNS + " FROM users ORDER BY username LIMIT :limit OFFSET :offset")
    List<User> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM users")
    long count();

    @SqlQuery("SELECT id, username, display_name, password_expires_at FROM users WHERE active AND must_change_password ORDER BY username")
    @RegisterRowMapper(UnusedOneTimePasswordMapper.class)
    List<UnusedOneTimePassword> unusedOneTimePasswords();

    @SqlUpdate("UPDATE users SET display_name = :displayName, roles = :roles, active = :active WHERE id = :id")
    void update(@Bind("id") UUID id, @Bind("displayName") String displayName, @Bind("roles") String roles, @Bind("active") boolean active);

    /** A one-time password, to be changed at the next sign-in, that stops signing in at {@code expiresAt}. */
    @SqlUpdate("UPDATE users SET password_hash = :passwordHash, must_change_password = TRUE, password_expires_at = :expiresAt WHERE id = :id")
    void setOneTimePassword(@Bind("id") UUID id, @Bind("passwordHash") String passwordHash, @Bind("expiresAt") Instant expiresAt);

    /** A password the user chose: it stays until they change it again or it is reset. */
    @SqlUpdate("UPDATE users SET password_hash = :passwordHash, must_change_password = FALSE, password_expires_at = NULL WHERE id = :id")
    void setOwnPassword(@Bind("id") UUID id, @Bind("passwordHash") String passwordHash);

    /** The same password hashed at another cost, if the stored hash is still {@code storedHash}; 1 when replaced. */
    @SqlUpdate("UPDATE users SET password_hash = :newHash WHERE id = :id AND password_hash = :storedHash")
    int replacePasswordHash(@Bind("id") UUID id, @Bind("storedHash") String storedHash, @Bind("newHash") String newHash);

    @SqlQuery("SELECT COUNT(*) FROM users WHERE active AND roles LIKE '%ADMIN%' AND id <> :except")
    long otherActiveAdmins(@Bind("except") UUID except);

    /**
     * Where a user stands with passwords and the second factor; never leaves this feature. {@code passwordExpiresAt} is
     * null but for a one-time password given since they expire.
     */
    record Credentials(String passwordHash, boolean mustChangePassword, Instant passwordExpiresAt, byte[] totpSecret, boolean totpEnabled,
                       long totpLastStep) {
        /** What the entry that changed them commits to (the last accepted code's step is not part of it). */
        String digest() {
            return CredentialDigests.credentials(passwordHash, mustChangePassword, totpSecret, totpEnabled, passwordExpiresAt);
        }

        /** Whether the password is a one-time one past its expiry, so that it no longer signs in or changes itself. */
        boolean expiredAt(Instant now) {
            return mustChangePassword && passwordExpiresAt != null && !now.isBefore(passwordExpiresAt);
        }
    }

    @SqlQuery("SELECT password_hash, must_change_password, password_expires_at, totp_secret, totp_enabled, totp_last_step FROM users WHERE id = :id")
    @RegisterRowMapper(CredentialsMapper.class)
    Optional<Credentials> credentials(@Bind("id") UUID id);

    /** The digest of a user's credentials as this transaction left them, for the entry that changed them. */
    default String credentialsDigest(UUID id) {
        return credentials(id).orElseThrow(() -> new IllegalStateException("the user changed has no row")).digest();
    }

    /** A user's second-factor secret as the row holds it: sealed, or in the clear if an earlier version stored it. */
    record StoredSecret(UUID userId, byte[] stored) {}

    /** Every stored second-factor secret, by user id: what start-up, the health check and a key's replacement look at. */
    static List<StoredSecret> storedSecrets(Handle handle) {
        return handle.createQuery("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id")
                .map((rs, ctx) -> new StoredSecret(rs.getObject(1, UUID.class), rs.getBytes(2))).list();
    }

    @SqlUpdate("UPDATE users SET totp_secret = :secret, totp_enabled = :enabled, totp_last_step = :lastStep WHERE id = :id")
    void setTotp(@Bind("id") UUID id, @Bind("secret") byte[] secret, @Bind("enabled") boolean enabled, @Bind("lastStep") long lastStep);

    /** Records the time step of an accepted code, so that the same code cannot be used twice. */
    @SqlUpdate("UPDATE users SET totp_last_step = :step WHERE id = :id AND totp_last_step < :step")
    int useTotpStep(@Bind("id") UUID id, @Bind("step") long step);

    @SqlUpdate("""
            INSERT INTO sessions (token_hash, id, user_id, created_at, expires_at, last_seen_at, scope)
            VALUES (:tokenHash, :id, :userId, :createdAt, :expiresAt, :createdAt, :scope)""")
    void insertSession(@Bind("tokenHash") byte[] tokenHash, @Bind("id") UUID id, @Bind("userId") UUID userId,
                       @Bind("createdAt") Instant createdAt, @Bind("expiresAt") Instant expiresAt, @Bind("scope") String scope);

    @SqlUpdate("DELETE FROM sessions WHERE id = :id AND user_id = :userId")
    int deleteSession(@Bind("id") UUID id, @Bind("userId") UUID userId);

    @SqlUpdate("DELETE FROM sessions WHERE user_id = :userId")
    int deleteSessions(@Bind("userId") UUID userId);

    /** A user's sessions past their absolute lifetime (they no longer sign anyone in), removed at the user's next sign-in. */
    @SqlUpdate("DELETE FROM sessions WHERE user_id = :userId AND expires_at <= :now")
    int deleteExpiredSessions(@Bind("userId") UUID userId, @Bind("now") Instant now);

    /** A user's sessions that still sign their holder in: within their lifetime, used since {@code idleSince}. */
    @SqlQuery("SELECT id, created_at, last_seen_at, expires_at, scope FROM sessions WHERE user_id = :userId"
            + " AND expires_at > :now AND last_seen_at > :idleSince ORDER BY created_at")
    @RegisterRowMapper(SessionInfoMapper.class)
    List<SessionInfo> liveSessions(@Bind("userId") UUID userId, @Bind("now") Instant now, @Bind("idleSince") Instant idleSince);

    /** A session and its user, looked up by the token's hash; whether it is still live is decided by {@code Sessions}. */
    record SessionRow(User user, UUID sessionId, Instant lastSeenAt, Instant expiresAt, SessionScope scope) {
        /** The same session, marked as used at {@code at}. */
        SessionRow usedAt(Instant at) {
            return new SessionRow(user, sessionId, at, expiresAt, scope);
        }
    }

    /*
     * Every request looks up its session, so the lookup is a plain JDBC query (PlainQuery says what JDBI cost there)
     * and the touch, at most once a minute a session, a plain statement on a handle rather than a SqlObject call.
     */

    PlainQuery<SessionRow> SESSION_BY_TOKEN_HASH = new PlainQuery<>("""
            SELECT u.id, u.username, u.display_name, u.roles, u.active, u.created_at,
                   s.id AS session_id, s.last_seen_at, s.expires_at, s.scope
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = :tokenHash""", rs -> new SessionRow(UserMapper.read(rs), rs.getObject("session_id", UUID.class),
            rs.getTimestamp("last_seen_at").toInstant(), rs.getTimestamp("expires_at").toInstant(), SessionScope.valueOf(rs.getString("scope"))));

    static Optional<SessionRow> findSession(DataSource dataSource, byte[] tokenHash) {
        return SESSION_BY_TOKEN_HASH.findOne(dataSource, Map.of("tokenHash", tokenHash));
    }

    /** Marks a session as used now. The services write through the ledger; this timestamp alone is not logged. */
    static void touchSession(Handle handle, UUID sessionId, Instant now) {
        handle.createUpdate("UPDATE sessions SET last_seen_at = :now WHERE id = :id").bind("id", sessionId).bind("now", now).execute();
    }

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
            return read(rs);
        }

        static User read(ResultSet rs) throws SQLException {
            return new User(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                    decodeRoles(rs.getString("roles")), rs.getBoolean("active"), rs.getTimestamp("created_at").toInstant());
        }
    }

    final class SessionInfoMapper implements RowMapper<SessionInfo> {
        @Override
        public SessionInfo map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new SessionInfo(rs.getObject("id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("last_seen_at").toInstant(), rs.getTimestamp("expires_at").toInstant(), SessionScope.valueOf(rs.getString("scope")));
        }
    }

    final class UnusedOneTimePasswordMapper implements RowMapper<UnusedOneTimePassword> {
        @Override
        public UnusedOneTimePassword map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new UnusedOneTimePassword(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                    SqlTimes.instant(rs, "password_expires_at"));
        }
    }

    final class CredentialsMapper implements RowMapper<Credentials> {
        @Override
        public Credentials map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Credentials(rs.getString("password_hash"), rs.getBoolean("must_change_password"), SqlTimes.instant(rs, "password_expires_at"),
                    rs.getBytes("totp_secret"), rs.getBoolean("totp_enabled"), rs.getLong("totp_last_step"));
        }
    }
}
