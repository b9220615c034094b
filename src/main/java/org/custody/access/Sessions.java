package org.custody.access;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
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
 * Sign-in and sessions (the second factor is {@link SecondFactor}'s, a user's own password {@link OwnPassword}'s). A
 * token is 256 random bits, given to the client once and stored only as its SHA-256 (the lookup is by that hash, so no
 * token is ever compared byte by byte). A session ends at its absolute lifetime, after its idle timeout, on sign-out,
 * on revocation, and when its user's password changes or the user is deactivated. The expensive password check runs on
 * the request thread, never inside the ledger's batch.
 */
public final class Sessions {
    private static final Base64.Encoder TOKEN_ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** How long sessions live and what sign-in demands. */
    public record Policy(Duration lifetime, Duration idleTimeout, Duration keptFor, boolean requireTotpForAdmins) {}

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final Ledger ledger;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SecureRandom random;
    private final Policy policy;
    private final SignInThrottle throttle;
    private final SecondFactorSecrets secondFactors;
    private final AtomicLong throttledRefusals = new AtomicLong();
    private final AtomicLong lastThrottledEntry = new AtomicLong();
    private final SessionCache recent;

    public Sessions(Jdbi jdbi, DataSource dataSource, Ledger ledger, PasswordHasher hasher, Clock clock, SecureRandom random, Policy policy,
                    SignInThrottle throttle, SecondFactorSecrets secondFactors) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
        this.policy = policy;
        this.throttle = throttle;
        this.secondFactors = secondFactors;
        this.recent = new SessionCache(clock, policy.keptFor());
        ledger.afterCommitAbout(Subject.USER, recent::forgetAll);
    }

    /** A new session: the token (shown once), its expiry, what it may do, and the user. */
    public record SignedIn(String token, Instant expiresAt, SessionScope scope, User user) {}

    /**
     * Opens a session for a user name (as typed: its case and surrounding spaces do not matter) and password, plus the
     * current code from their authenticator when they have enrolled one. Every refusal looks the same, whether the user
     * exists, is inactive, or gave a wrong password or code.
     */
    public Recorded<SignedIn> signIn(String typed, char[] password, String totpCode, String clientAddress) {
        // user names are lower case without spaces, so "Maria " typed on a phone is maria, and counts against her throttle
        String username = typed.strip().toLowerCase(java.util.Locale.ROOT);
        Instant now = now();
        SignInThrottle.Attempt attempt;
        try {
            attempt = throttle.begin(username, clientAddress, now);
        } catch (TooManyAttemptsException throttled) {
            throttledRefusals.incrementAndGet();
            if (throttledEntryDue(now)) {
                recordFailure(null, "throttled");
            }
            throw throttled;
        }
        try (attempt) {
            return check(username, password, totpCode, now, attempt);
        }
    }

    private Recorded<SignedIn> check(String username, char[] password, String totpCode, Instant now, SignInThrottle.Attempt attempt) {
        Optional<User> user = jdbi.withExtension(UserDao.class, users -> users.findByUsername(username));
        Optional<UserDao.Credentials> credentials = user.flatMap(found -> jdbi.withExtension(UserDao.class, users -> users.credentials(found.id())));
        boolean valid;
        if (credentials.isPresent()) {
            valid = hasher.verify(password, credentials.get().passwordHash()) && user.get().active();
        } else {
            hasher.verifyDecoy(password);
            valid = false;
        }
        OptionalLong step = OptionalLong.empty();
        if (valid && credentials.get().totpEnabled()) {
            step = Totp.matchingStep(secondFactors.open(user.get().id(), credentials.get().totpSecret()), totpCode, now);
            valid = step.isPresent() && step.getAsLong() > credentials.get().totpLastStep();
        }
        if (!valid) {
            attempt.failed(now);
            recordFailure(user.map(User::id).orElse(null), "credentials");
            throw new InvalidCredentialsException();
        }
        if (credentials.get().expiredAt(now)) {
            // counted as a failure all the same: each refusal is an entry, and the throttle is what bounds how fast anyone
            // holding the expired password can add them to a log that is never pruned
            attempt.failed(now);
            recordFailure(user.get().id(), "one-time-password-expired");
            throw new OneTimePasswordExpiredException();
        }
        SessionScope scope = credentials.get().mustChangePassword() ? SessionScope.CHANGE_PASSWORD
                : user.get().hasRole(Role.ADMIN) && policy.requireTotpForAdmins() && !credentials.get().totpEnabled() ? SessionScope.ENROL_TOTP
                : SessionScope.FULL;
        String storedHash = credentials.get().passwordHash();
        Optional<String> rehashed = hasher.needsRehash(storedHash) ? Optional.of(hasher.hash(password)) : Optional.empty();
        try {
            Recorded<SignedIn> signedIn = open(user.get(), scope, step, new Rehash(storedHash, rehashed));
            attempt.succeeded();
            return signedIn;
        } catch (InvalidCredentialsException codeAlreadyUsed) {
            attempt.failed(now);
            recordFailure(user.get().id(), "credentials");
            throw codeAlreadyUsed;
        }
    }

    /**
     * A refusal by the throttle names nobody (it checked nothing), and anyone can send thousands a second: one entry
     * each would let anyone grow the log, which is never pruned, as fast as the ledger writes. So at most one is written
     * a second, and {@link #throttledRefusals()} counts them all.
     */
    private boolean throttledEntryDue(Instant now) {
        long at = now.toEpochMilli();
        long last = lastThrottledEntry.get();
        return at - last >= 1000 && lastThrottledEntry.compareAndSet(last, at);
    }

    /** Sign-ins refused by the throttle since the service started (a metric). */
    public long throttledRefusals() {
        return throttledRefusals.get();
    }

    private void recordFailure(UUID userId, String reason) {
        Subject subject = userId == null ? null : Subject.user(userId);
        ledger.submit(null, context -> new Change.Applied<>(null, LogEvent.of(LogAction.SIGN_IN_FAILED, subject, Map.of("reason", reason))));
    }

    /** A password hash made again at the current cost (made before the change: Argon2id is no work for the ledger's writer). */
    private record Rehash(String stored, Optional<String> rehashed) {}

    private Recorded<SignedIn> open(User user, SessionScope scope, OptionalLong totpStep, Rehash rehash) {
        byte[] tokenBytes = new byte[32];
        random.nextBytes(tokenBytes);
        String token = TOKEN_ENCODER.encodeToString(tokenBytes);
        byte[] tokenHash = sha256(tokenBytes);
        UUID sessionId = UUID.randomUUID();
        return ledger.submit(actor(user), context -> {
            UserDao users = context.attach(UserDao.class);
            if (totpStep.isPresent() && users.useTotpStep(user.id(), totpStep.getAsLong()) != 1) {
                throw new InvalidCredentialsException();
            }
            Instant expiresAt = context.now().plus(policy.lifetime());
            // the table keeps only what can still sign someone in, without a sweep of its own: each sign-in clears its user's expired ones
            int expired = users.deleteExpiredSessions(user.id(), context.now());
            users.insertSession(tokenHash, sessionId, user.id(), context.now(), expiresAt, scope.name());
            // only over the hash that was checked: a password changed meanwhile is not put back
            boolean rehashed = rehash.rehashed().isPresent() && users.replacePasswordHash(user.id(), rehash.stored(), rehash.rehashed().get()) == 1;
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("sessionId", sessionId);
            payload.put("expiresAt", expiresAt);
            payload.put("scope", scope);
            payload.put("secondFactor", totpStep.isPresent());
            payload.put("tokenDigest", CredentialDigests.sessionToken(tokenHash));
            payload.put("expiredSessionsEnded", expired);
            if (rehashed) {
                payload.put("passwordRehashed", true);
                payload.put("credentialsDigest", users.credentialsDigest(user.id()));
            }
            return new Change.Applied<>(new SignedIn(token, expiresAt, scope, user), LogEvent.of(LogAction.SIGNED_IN, Subject.user(user.id()), payload));
        });
    }

    public Recorded<Void> signOut(Caller caller) {
        return ledger.submit(caller.actor(), context -> {
            context.attach(UserDao.class).deleteSession(caller.sessionId(), caller.id());
            return new Change.Applied<>(null, LogEvent.of(LogAction.SIGNED_OUT, Subject.user(caller.id()), Map.of("sessionId", caller.sessionId())));
        });
    }

    /**
     * The caller a bearer token belongs to, if it is well formed, its session neither expired nor idle too long, and
     * its user active. Marks the session as used, at most once a minute. The session's row comes from
     * {@link SessionCache} when this instance looked it up within {@link Policy#keptFor} and no user changed since.
     */
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
        Instant now = now();
        byte[] tokenHash = sha256(tokenBytes);
        long ticket = recent.ticket();
        Optional<UserDao.SessionRow> found = recent.find(tokenHash);
        if (found.isEmpty()) {
            found = UserDao.findSession(dataSource, tokenHash);
            found.ifPresent(row -> recent.keep(tokenHash, row, ticket));
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UserDao.SessionRow session = found.get();
        if (!session.user().active() || !now.isBefore(session.expiresAt()) || !now.isBefore(session.lastSeenAt().plus(policy.idleTimeout()))) {
            return Optional.empty();
        }
        if (session.lastSeenAt().plus(Duration.ofMinutes(1)).isBefore(now)) {
            jdbi.useHandle(handle -> UserDao.touchSession(handle, session.sessionId(), now));
            recent.touched(tokenHash, session.usedAt(now));
        }
        return Optional.of(new Caller(session.user(), session.sessionId(), session.scope(), now));
    }

    /**
     * A user's open sessions: those that still sign their holder in. One ended by its idle timeout or lifetime stays
     * stored until its user's next sign-in (which removes those past their lifetime) but is not listed.
     */
    public List<SessionInfo> sessions(UUID userId) {
        requireUser(userId);
        Instant now = now();
        return jdbi.withExtension(UserDao.class, users -> users.liveSessions(userId, now, now.minus(policy.idleTimeout())));
    }

    /** Ends one of a user's sessions (an administrator's decision, or the user's own). */
    public Recorded<Void> revoke(Actor actor, UUID userId, UUID sessionId) {
        return ledger.submit(actor, context -> {
            if (context.attach(UserDao.class).deleteSession(sessionId, userId) != 1) {
                throw new NotFoundException("Session");
            }
            return new Change.Applied<>(null, LogEvent.of(LogAction.SESSION_REVOKED, Subject.user(userId), Map.of("sessionId", sessionId)));
        });
    }

    private void requireUser(UUID userId) {
        jdbi.withExtension(UserDao.class, users -> users.find(userId)).orElseThrow(() -> new NotFoundException("User"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Actor actor(User user) {
        return new Actor(user.id(), user.username());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
