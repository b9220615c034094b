package org.custody.access;

import java.security.SecureRandom;
import java.util.Base64;
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

    public Users(Jdbi jdbi, Ledger ledger, PasswordHasher hasher, Validation validation, SecureRandom random) {
        this.random = random;
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.hasher = hasher;
        this.validation = validation;
    }

    /**
     * Creates a user, by the same rules whether the request came over HTTP or from the command line. The password was
     * chosen by someone other than the user (an administrator, the operator at the shell), so it is a one-time one: the
     * user's first session may only change it. Until then whoever chose it could sign in as the user; once it is
     * changed, only the user can, and anyone who used it first has locked the user out of their new account.
     */
    public Recorded<User> create(Actor actor, NewUser request) {
        validation.check(request);
        PasswordPolicy.problem(request.username(), request.password()).ifPresent(problem -> {
            throw new InvalidInputException("password", problem);
        });
        String passwordHash = hasher.hash(request.password().toCharArray());
        return ledger.submit(actor, new CreateUser(Ids.next(), request, passwordHash));
    }

    public Recorded<User> update(Actor actor, UUID id, UserPatch patch) {
        validation.check(patch);
        if (patch.roles() != null && patch.roles().contains(null)) {
            throw new InvalidInputException("roles", "must not contain null");
        }
        return ledger.submit(actor, new UserChanges.UpdateUser(id, patch.displayName(), patch.roles(), patch.active()));
    }

    /** Gives the user a random one-time password, returned once, to be changed at their next sign-in. */
    public Recorded<String> resetPassword(Actor actor, UUID id) {
        byte[] secret = new byte[18];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Recorded<Void> reset = ledger.submit(actor, new UserChanges.ResetPassword(id, hasher.hash(password.toCharArray())));
        return new Recorded<>(password, reset.logIndex());
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

    public long count() {
        return jdbi.withExtension(UserDao.class, UserDao::count);
    }
}
