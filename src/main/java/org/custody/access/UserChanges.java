package org.custody.access;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.custody.common.ConflictException;
import org.custody.common.NotFoundException;
import org.custody.log.Change;
import org.custody.log.ChangeContext;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Subject;

/** The changes administrators make to users. None of them puts a credential in the log, only its digest. */
final class UserChanges {
    private UserChanges() {}

    /**
     * Sets a user's display name, roles and whether they are active. Deactivation ends every session at once, and so
     * does making someone an administrator: a session opened as a case worker or lawyer, with a password alone, must
     * not carry the new role past the second factor that administrators' sign-ins require. The last active
     * administrator can neither lose the role nor be deactivated.
     */
    record UpdateUser(UUID id, String displayName, Set<Role> roles, Boolean active) implements Change<User> {
        @Override
        public Applied<User> apply(ChangeContext context) {
            UserDao users = context.attach(UserDao.class);
            User current = users.find(id).orElseThrow(() -> new NotFoundException("User"));
            User updated = new User(id, current.username(), displayName == null ? current.displayName() : displayName,
                    roles == null ? current.roles() : roles, active == null ? current.active() : active, current.createdAt());
            boolean stillAdmin = updated.active() && updated.hasRole(Role.ADMIN);
            if (current.active() && current.hasRole(Role.ADMIN) && !stillAdmin && users.otherActiveAdmins(id) == 0) {
                throw new ConflictException("This is the last active administrator: make another user an administrator first");
            }
            users.update(id, updated.displayName(), UserDao.encodeRoles(updated.roles()), updated.active());
            boolean madeAdmin = updated.hasRole(Role.ADMIN) && !current.hasRole(Role.ADMIN);
            int ended = !updated.active() || madeAdmin ? users.deleteSessions(id) : 0;
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("user", updated);
            payload.put("sessionsEnded", ended);
            return new Applied<>(updated, LogEvent.of(LogAction.USER_UPDATED, Subject.user(id), payload));
        }
    }

    /**
     * Replaces a user's password with a one-time one that must be changed at the next sign-in and expires {@code lifetime}
     * after the entry; their sessions end. Its result is the expiry.
     */
    record ResetPassword(UUID id, String passwordHash, Duration lifetime) implements Change<Instant> {
        @Override
        public Applied<Instant> apply(ChangeContext context) {
            UserDao users = context.attach(UserDao.class);
            users.find(id).orElseThrow(() -> new NotFoundException("User"));
            Instant expiresAt = context.now().plus(lifetime);
            users.setOneTimePassword(id, passwordHash, expiresAt);
            int ended = users.deleteSessions(id);
            return new Applied<>(expiresAt, LogEvent.of(LogAction.PASSWORD_RESET, Subject.user(id),
                    Map.of("sessionsEnded", ended, "passwordExpiresAt", expiresAt, "credentialsDigest", users.credentialsDigest(id))));
        }

        @Override
        public String toString() {
            return "ResetPassword[" + id + "]";
        }
    }
}
