package org.custody.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

    public Users(Jdbi jdbi, Ledger ledger, PasswordHasher hasher, Validation validation) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.hasher = hasher;
        this.validation = validation;
    }

    /** Creates a user; the same rules apply whether the request came over HTTP or from the command line. */
    public Recorded<User> create(Actor actor, NewUser request) {
        validation.check(request);
        if (request.passwordIsUsername()) {
            throw new InvalidInputException("password", "must not be the user name");
        }
        String passwordHash = hasher.hash(request.password().toCharArray());
        return ledger.submit(actor, new CreateUser(UUID.randomUUID(), request, passwordHash));
    }

    public User get(UUID id) {
        return find(id).orElseThrow(() -> new NotFoundException("User"));
    }

    public Optional<User> find(UUID id) {
        return jdbi.withExtension(UserDao.class, users -> users.find(id));
    }

    public List<User> list() {
        return jdbi.withExtension(UserDao.class, UserDao::list);
    }

    public long count() {
        return jdbi.withExtension(UserDao.class, UserDao::count);
    }
}
