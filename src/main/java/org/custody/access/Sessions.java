package org.custody.access;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.custody.log.Actor;
import org.custody.log.Change;
import org.custody.log.Ledger;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.jdbi.v3.core.Jdbi;

/**
 * Sign-in, sign-out and token checks. A token is 256 random bits, given to the client once and stored only
 * as its SHA-256; the expensive password check runs on the request thread, never inside the ledger's batch.
 */
public final class Sessions {
    private static final Base64.Encoder TOKEN_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration lifetime;

    public Sessions(Jdbi jdbi, Ledger ledger, PasswordHasher hasher, Clock clock, SecureRandom random, Duration lifetime) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
        this.lifetime = lifetime;
    }

    /** A new session: the token (shown once), its expiry and the user. */
    public record SignedIn(String token, Instant expiresAt, User user) {}

    public Recorded<SignedIn> signIn(String username, char[] password) {
        Optional<User> user = jdbi.withExtension(UserDao.class, users -> users.findByUsername(username));
        Optional<String> storedHash = user.flatMap(found -> jdbi.withExtension(UserDao.class, users -> users.passwordHash(found.id())));
        boolean valid;
        if (storedHash.isPresent()) {
            valid = hasher.verify(password, storedHash.get()) && user.get().active();
        } else {
            hasher.verifyDecoy(password);
            valid = false;
        }
        if (!valid) {
            Subject subject = user.map(found -> Subject.user(found.id())).orElse(null);
            ledger.submit(null, context -> new Change.Applied<>(null, LogEvent.of(LogAction.SIGN_IN_FAILED, subject, Map.of())));
            throw new InvalidCredentialsException();
        }
        return open(user.get());
    }

    private Recorded<SignedIn> open(User user) {
        byte[] tokenBytes = new byte[32];
        random.nextBytes(tokenBytes);
        String token = TOKEN_ENCODER.encodeToString(tokenBytes);
        byte[] tokenHash = sha256(tokenBytes);
        UUID sessionId = UUID.randomUUID();
        Actor actor = new Actor(user.id(), user.username());
        return ledger.submit(actor, context -> {
            Instant expiresAt = context.now().plus(lifetime);
            context.attach(UserDao.class).insertSession(tokenHash, sessionId, user.id(), context.now(), expiresAt);
            return new Change.Applied<>(new SignedIn(token, expiresAt, user), LogEvent.of(LogAction.SIGNED_IN, Subject.user(user.id()),
                    Map.of("sessionId", sessionId, "expiresAt", expiresAt)));
        });
    }

    public Recorded<Void> signOut(Caller caller) {
        return ledger.submit(caller.actor(), context -> {
            context.attach(UserDao.class).deleteSession(caller.sessionId());
            return new Change.Applied<>(null, LogEvent.of(LogAction.SIGNED_OUT, Subject.user(caller.id()), Map.of("sessionId", caller.sessionId())));
        });
    }

    /** The caller a bearer token belongs to, if it is well formed, live and its user active. */
    public Optional<Caller> authenticate(String token) {
        byte[] tokenBytes;
        try {
            tokenBytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (tokenBytes.length != 32) {
            return Optional.empty();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return jdbi.withExtension(UserDao.class, users -> users.findLiveSession(sha256(tokenBytes), now));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
