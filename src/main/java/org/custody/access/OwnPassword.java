package org.custody.access;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.custody.common.InvalidInputException;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.jdbi.v3.core.Jdbi;

/**
 * A signed-in user changing their own password, given the current one. Every session of theirs ends with the change,
 * the one that made it included, so whoever held a session on the old password must sign in again.
 */
public final class OwnPassword {
    private final Jdbi jdbi;
    private final Ledger ledger;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SignInThrottle throttle;

    public OwnPassword(Jdbi jdbi, Ledger ledger, PasswordHasher hasher, Clock clock, SignInThrottle throttle) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.hasher = hasher;
        this.clock = clock;
        this.throttle = throttle;
    }

    public Recorded<Void> change(Caller caller, char[] currentPassword, String newPassword) {
        // A session is not the password: whoever holds one (a borrowed laptop, a stolen token) must not be able to
        // guess the password through this check faster than through sign-in, so both count failures for the user alike.
        String username = caller.user().username();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UserDao.Credentials credentials;
        try (SignInThrottle.Attempt attempt = throttle.begin(username, null, now)) {
            credentials = jdbi.withExtension(UserDao.class, users -> users.credentials(caller.id())).orElseThrow(InvalidCredentialsException::new);
            if (!hasher.verify(currentPassword, credentials.passwordHash())) {
                attempt.failed(now);
                throw new InvalidInputException("currentPassword", "is not your current password");
            }
            if (credentials.expiredAt(now)) {
                // a session opened just before the expiry does not stretch it; counted as at sign-in
                attempt.failed(now);
                throw new OneTimePasswordExpiredException();
            }
            attempt.succeeded();
        }
        PasswordPolicy.problem(username, newPassword).ifPresent(problem -> {
            throw new InvalidInputException("newPassword", problem);
        });
        if (hasher.verify(newPassword.toCharArray(), credentials.passwordHash())) {
            throw new InvalidInputException("newPassword", "must differ from the current password");
        }
        String hash = hasher.hash(newPassword.toCharArray());
        return ledger.submit(caller.actor(), context -> {
            UserDao users = context.attach(UserDao.class);
            users.setOwnPassword(caller.id(), hash);
            int ended = users.deleteSessions(caller.id());
            return new Change.Applied<>(null, LogEvent.of(LogAction.PASSWORD_CHANGED, Subject.user(caller.id()),
                    Map.of("sessionsEnded", ended, "credentialsDigest", users.credentialsDigest(caller.id()))));
        });
    }
}
