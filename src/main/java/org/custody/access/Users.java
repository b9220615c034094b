package org.custody.access;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.common.Page;
import org.custody.common.Ids;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.common.Validation;
import org.custody.log.Actor;
import org.custody.log.Ledger;
import org.custody.log.Recorded;
import org.jdbi.v3.core.Jdbi;

/** User administration: creating users (through the ledger) and looking them up. */
public final class Users {
    private final Jdbi jdbi;
    private final Ledger ledger;
    private final PasswordHasher hasher;
    private final Validation validation;
    private final SecureRandom random;
    private final Duration oneTimePasswordLifetime;

    public Users(Jdbi jdbi, Ledger ledger, PasswordHasher hasher, Validation validation, SecureRandom random, Duration oneTimePasswordLifetime) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.hasher = hasher;
        this.validation = validation;
        this.random = random;
        this.oneTimePasswordLifetime = oneTimePasswordLifetime;
    }

    /**
     * Creates a user, by the same rules whether the request came over HTTP or from the command line. The password was
     * chosen by someone other than the user (an administrator, the operator at the shell), so it is a one-time one: the
     * user's first session may only change it. Until then whoever chose it could sign in as the user; once it is
     * changed, only the user can, and anyone who used it first has locked the user out of their new account. Unchanged,
     * it stops signing in after the configured lifetime ({@code auth.oneTimePasswordLifetime}), so that an account
     * nobody took up is not left open to whoever saw its password; an administrator's reset then gives another.
     */
    public Recorded<User> create(Actor actor, NewUser request) {
        validation.check(request);
        PasswordPolicy.problem(request.username(), request.password()).ifPresent(problem -> {
            throw new InvalidInputException("password", problem);
        });
        String passwordHash = hasher.hash(request.password().toCharArray());
        return ledger.submit(actor, new CreateUser(Ids.next(), request, passwordHash, oneTimePasswordLifetime));
    }

    public Recorded<User> update(Actor actor, UUID id, UserPatch patch) {
        validation.check(patch);
        if (patch.roles() != null && patch.roles().contains(null)) {
            throw new InvalidInputException("roles", "must not contain null");
        }
        return ledger.submit(actor, new UserChanges.UpdateUser(id, patch.displayName(), patch.roles(), patch.active()));
    }

    /** Gives the user a random one-time password, returned once, to be changed at their next sign-in before it expires. */
    public Recorded<OneTimePassword> resetPassword(Actor actor, UUID id) {
        byte[] secret = new byte[18];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String passwordHash = hasher.hash(password.toCharArray());
        Recorded<Instant> reset = ledger.submit(actor, new UserChanges.ResetPassword(id, passwordHash, oneTimePasswordLifetime));
        return new Recorded<>(new OneTimePassword(password, true, reset.value()), reset.logIndex());
    }

    public User get(UUID id) {
        return find(id).orElseThrow(() -> new NotFoundException("User"));
    }

    public Optional<User> find(UUID id) {
        return jdbi.withExtension(UserDao.class, users -> users.find(id));
    }

    /** A page of the users, by user name. */
    public Page<User> list(int page, int size) {
        return jdbi.withExtension(UserDao.class, users -> new Page<>(users.list(size, (long) page * size), page, size, users.count()));
    }

    public Optional<User> findByUsername(String username) {
        return jdbi.withExtension(UserDao.class, users -> users.findByUsername(username));
    }

    /** The active users who have not yet changed a one-time password, by user name. */
    public List<UnusedOneTimePassword> unusedOneTimePasswords() {
        return jdbi.withExtension(UserDao.class, UserDao::unusedOneTimePasswords);
    }

    /**
     * Whether {@code password} would still sign {@code username} in to change it: the account active, its password a
     * one-time one not yet changed nor expired at {@code now}, and this that password (one Argon2id check, the last).
     */
    public boolean oneTimePasswordSignsIn(String username, char[] password, Instant now) {
        return jdbi.withExtension(UserDao.class, users -> users.findByUsername(username).filter(User::active).flatMap(user -> users.credentials(user.id())))
                .filter(credentials -> credentials.mustChangePassword() && !credentials.expiredAt(now))
                .filter(credentials -> hasher.verify(password, credentials.passwordHash()))
                .isPresent();
    }

    public long count() {
        return jdbi.withExtension(UserDao.class, UserDao::count);
    }
}
