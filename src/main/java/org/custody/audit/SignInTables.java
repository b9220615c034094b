package org.custody.audit;

import static org.custody.audit.TableState.time;
import static org.custody.audit.TableState.uuid;
import static org.custody.common.SqlTimes.instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.EnumSet;
import org.custody.access.CredentialDigests;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.audit.TableState.Row;
import org.custody.audit.TableState.Rows;

/**
 * The tables sign-in reads, users and sessions, read in the shapes the replay produces, with what the log knows of
 * their credentials beside them: the log holds no password or token, but whether a second factor is on and the digests
 * its entries committed to ({@link SignInState}), which the columns sign-in reads must still match.
 */
final class SignInTables {
    private final ObjectMapper mapper;
    private final TableState tables;
    private final SignInState signIns;

    SignInTables(ObjectMapper mapper, TableState tables, SignInState signIns) {
        this.mapper = mapper;
        this.tables = tables;
        this.signIns = signIns;
    }

    void users(Rows rows) {
        tables.query("SELECT id, username, display_name, roles, active, created_at, password_hash, must_change_password, password_expires_at,"
                        + " totp_secret, totp_enabled FROM users")
                .map((rs, ctx) -> {
                    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
                    String stored = rs.getString("roles");
                    if (!stored.isEmpty()) Arrays.stream(stored.split(",")).map(Role::valueOf).forEach(roles::add);
                    User user = new User(uuid(rs, "id"), rs.getString("username"), rs.getString("display_name"), roles, rs.getBoolean("active"),
                            instant(rs, "created_at"));
                    boolean secondFactor = rs.getBoolean("totp_enabled");
                    String credentials = CredentialDigests.credentials(rs.getString("password_hash"), rs.getBoolean("must_change_password"),
                            rs.getBytes("totp_secret"), secondFactor, instant(rs, "password_expires_at"));
                    String id = user.id().toString();
                    return new Row(id, () -> mapper.valueToTree(user), record -> signInColumns(id, secondFactor, credentials));
                }).forEach(row -> rows.row(row.key(), row.record(), row.columns()));
    }

    /** A user's credentials are not in the log, but whether sign-in asks for a second factor is, and their digest. */
    private String signInColumns(String userId, boolean secondFactor, String digest) {
        if (secondFactor != signIns.secondFactors.contains(userId)) {
            return "column totp_enabled does not match the log's second-factor entries (sign-in reads it)";
        }
        String logged = signIns.credentialsDigests.get(userId);
        if (logged != null && !logged.equals(digest)) {
            return "columns password_hash, must_change_password, password_expires_at or totp_secret do not match the digest its last credentials"
                    + " entry committed to (sign-in reads them)";
        }
        return null;
    }

    /** Sessions: whose, until when and for what, as their sign-in entries opened them; the token by its digest. */
    void sessions(Rows rows) {
        tables.query("SELECT id, user_id, expires_at, scope, token_hash FROM sessions").map((rs, ctx) -> {
            String id = uuid(rs, "id").toString();
            String userId = uuid(rs, "user_id").toString();
            ObjectNode session = mapper.createObjectNode();
            session.put("userId", userId);
            session.set("expiresAt", time(instant(rs, "expires_at")));
            session.put("scope", rs.getString("scope"));
            String token = CredentialDigests.sessionToken(rs.getBytes("token_hash"));
            return new Row(id, () -> session, record -> {
                String logged = signIns.tokenDigest(userId, id);
                return logged == null || logged.equals(token) ? null
                        : "column token_hash does not match the token its sign-in entry committed to (sign-in looks tokens up by it)";
            });
        }).forEach(row -> rows.row(row.key(), row.record(), row.columns()));
    }
}
