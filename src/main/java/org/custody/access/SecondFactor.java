package org.custody.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.custody.common.ConflictException;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.log.Actor;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.jdbi.v3.core.Jdbi;

/**
 * A user's second factor (TOTP, RFC 6238): enrolled by the user in two steps, a secret and then a code from it, and
 * removed by an administrator when the authenticator is lost. Sign-in checks the codes ({@link Sessions}). The database
 * holds each secret sealed ({@link SecondFactorSecrets}); the user is shown it once, in the clear, to enrol.
 */
public final class SecondFactor {
    private final Jdbi jdbi;
    private final Ledger ledger;
    private final Clock clock;
    private final SecureRandom random;
    /** The issuer an authenticator app shows beside the account. */
    private final String issuer;
    private final SecondFactorSecrets secrets;

    public SecondFactor(Jdbi jdbi, Ledger ledger, Clock clock, SecureRandom random, String issuer, SecondFactorSecrets secrets) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.clock = clock;
        this.random = random;
        this.issuer = issuer;
        this.secrets = secrets;
    }

    /** What an authenticator app needs, shown once: the otpauth URI (for a QR code) and the same secret in base 32. */
    public record TotpEnrolment(String otpauthUri, String secret) {}

    /** Starts enrolling a second factor: a new secret, not yet required at sign-in until a code from it is confirmed. */
    public Recorded<TotpEnrolment> begin(Caller caller) {
        byte[] secret = new byte[Totp.SECRET_BYTES];
        random.nextBytes(secret);
        byte[] sealed = secrets.seal(caller.id(), secret);
        return ledger.submit(caller.actor(), context -> {
            UserDao users = context.attach(UserDao.class);
            if (users.credentials(caller.id()).orElseThrow(InvalidCredentialsException::new).totpEnabled()) {
                throw new ConflictException("A second factor is already enrolled; an administrator can reset it");
            }
            users.setTotp(caller.id(), sealed, false, 0);
            return new Change.Applied<>(new TotpEnrolment(Totp.uri(issuer, caller.user().username(), secret), Totp.base32(secret)),
                    LogEvent.of(LogAction.TOTP_ENROLMENT_STARTED, Subject.user(caller.id()), Map.of("credentialsDigest", users.credentialsDigest(caller.id()))));
        });
    }

    /** Confirms enrolment with a current code; from now on sign-in needs one, and every session of the user ends. */
    public Recorded<Void> confirm(Caller caller, String code) {
        UserDao.Credentials credentials = jdbi.withExtension(UserDao.class, users -> users.credentials(caller.id()))
                .orElseThrow(InvalidCredentialsException::new);
        if (credentials.totpEnabled() || credentials.totpSecret() == null) {
            throw new ConflictException("There is no enrolment to confirm: start one with POST /api/v1/users/me/totp");
        }
        OptionalLong step = Totp.matchingStep(secrets.open(caller.id(), credentials.totpSecret()), code, clock.instant());
        if (step.isEmpty()) {
            throw new InvalidInputException("code", "does not match: check the authenticator's clock and enter the current code");
        }
        return ledger.submit(caller.actor(), context -> {
            UserDao users = context.attach(UserDao.class);
            users.setTotp(caller.id(), credentials.totpSecret(), true, step.getAsLong());
            int ended = users.deleteSessions(caller.id());
            return new Change.Applied<>(null, LogEvent.of(LogAction.TOTP_ENABLED, Subject.user(caller.id()),
                    Map.of("sessionsEnded", ended, "credentialsDigest", users.credentialsDigest(caller.id()))));
        });
    }

    /**
     * Seals each secret a version before secrets were sealed stored in the clear, in place and through the log (a
     * {@code user.totp_sealed} entry each, by the system, committing to the sealed row as every credentials entry
     * does): the user keeps their authenticator. Run at start, once the key is read; returns how many it sealed.
     */
    public int sealStoredInTheClear() {
        int sealed = 0;
        for (UUID userId : SecondFactorSecrets.storedInTheClear(jdbi)) {
            try {
                ledger.submit(Actor.SYSTEM, context -> {
                    UserDao users = context.attach(UserDao.class);
                    UserDao.Credentials credentials = users.credentials(userId).orElseThrow(() -> new NotFoundException("User"));
                    if (credentials.totpSecret() == null || SecondFactorKey.looksSealed(credentials.totpSecret())) {
                        throw new ConflictException("sealed or reset meanwhile"); // by another instance: nothing to write
                    }
                    users.setTotp(userId, secrets.seal(userId, credentials.totpSecret()), credentials.totpEnabled(), credentials.totpLastStep());
                    return new Change.Applied<>(null, LogEvent.of(LogAction.TOTP_SEALED, Subject.user(userId),
                            Map.of("credentialsDigest", users.credentialsDigest(userId))));
                });
                sealed++;
            } catch (ConflictException | NotFoundException doneMeanwhile) {
                // another instance sealed or reset it, or the user is gone
            }
        }
        return sealed;
    }

    /**
     * Removes every stored second factor, each with an entry of its own, as if an administrator had reset each one: for
     * when the key that sealed them is lost ({@code keys reset-second-factors}). Returns how many users it reset.
     */
    public int resetAll(Actor actor) {
        List<UUID> enrolled = jdbi.withHandle(UserDao::storedSecrets).stream().map(UserDao.StoredSecret::userId).toList();
        enrolled.forEach(userId -> reset(actor, userId));
        return enrolled.size();
    }

    /** An administrator removes a user's second factor (a lost phone); the user enrols again. */
    public Recorded<Void> reset(Actor actor, UUID userId) {
        return ledger.submit(actor, context -> {
            UserDao users = context.attach(UserDao.class);
            users.find(userId).orElseThrow(() -> new NotFoundException("User"));
            users.setTotp(userId, null, false, 0);
            return new Change.Applied<>(null, LogEvent.of(LogAction.TOTP_RESET, Subject.user(userId), Map.of("credentialsDigest", users.credentialsDigest(userId))));
        });
    }
}
