package org.custody.access;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.custody.common.ConflictException;
import org.custody.log.Change;
import org.custody.log.ChangeContext;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Subject;

/**
 * Creates a user, with a one-time password that expires {@code oneTimePasswordLifetime} after the entry (see
 * {@link Users#create}). The payload holds the user without the password hash (credentials never enter the log), and
 * the digest of the credentials stored ({@link CredentialDigests}), which {@code verify-log} checks the row against.
 */
record CreateUser(UUID id, NewUser request, String passwordHash, Duration oneTimePasswordLifetime) implements Change<User> {
    @Override
    public Applied<User> apply(ChangeContext context) {
        UserDao users = context.attach(UserDao.class);
        if (users.findByUsername(request.username()).isPresent()) {
            throw new ConflictException("The user name is already taken");
        }
        User user = new User(id, request.username(), request.displayName(), request.roles(), true, context.now());
        Instant passwordExpiresAt = context.now().plus(oneTimePasswordLifetime);
        users.insert(id, user.username(), user.displayName(), UserDao.encodeRoles(user.roles()), passwordHash, passwordExpiresAt, user.createdAt());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user", user);
        payload.put("passwordExpiresAt", passwordExpiresAt);
        payload.put("credentialsDigest", CredentialDigests.credentials(passwordHash, true, null, false, passwordExpiresAt));
        return new Applied<>(user, LogEvent.of(LogAction.USER_CREATED, Subject.user(id), payload));
    }

    @Override
    public String toString() {
        return "CreateUser[" + id + "]";
    }
}
