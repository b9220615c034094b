package org.custody.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import org.custody.common.ConflictException;
import org.custody.common.OwnerOnly;
import org.custody.log.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On first start (no users at all) creates {@code admin} with a random one-time password, written to a file
 * only its owner can read, that must be changed at the first sign-in. The log line names the file, never the password.
 * Once that password no longer signs in (the administrator chose their own, it expired, was reset, or the account was
 * deactivated), the file goes: at the administrator's own password change, and at the next start after any of the others.
 */
public final class InitialAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);
    public static final String USERNAME = "admin";

    private final Users users;
    private final SecureRandom random;
    private final Clock clock;
    private final Path passwordFile;

    public InitialAdmin(Users users, SecureRandom random, Clock clock, Path passwordFile) {
        this.users = users;
        this.random = random;
        this.clock = clock;
        this.passwordFile = passwordFile;
    }

    /** Creates the administrator on an empty database; on any other, removes the password file if it is spent. */
    public void ensure() {
        if (users.count() > 0) {
            removeIfSpent();
            return;
        }
        byte[] secret = new byte[18];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            users.create(Actor.SYSTEM, new NewUser(USERNAME, "Administrator", password, EnumSet.of(Role.ADMIN)));
        } catch (ConflictException raceWithAnotherInstance) {
            return;
        }
        write(passwordFile, password);
        LOG.warn("Created the initial administrator '{}'; its one-time password is in {}", USERNAME, passwordFile.toAbsolutePath());
    }

    /**
     * After {@code user} chose their own password: if they are the initial administrator, the file's password no
     * longer signs in (it was theirs, or one before it), and the file goes.
     */
    public void passwordChanged(User user) {
        if (user.username().equals(USERNAME)) {
            remove();
        }
    }

    /**
     * Removes the password file unless its password still signs in: the administrator's one-time password, unchanged,
     * unexpired (or given before expiries) and not replaced by a reset, the account active.
     */
    private void removeIfSpent() {
        if (!Files.exists(passwordFile)) {
            return;
        }
        char[] password;
        try {
            password = Files.readString(passwordFile).strip().toCharArray();
        } catch (IOException e) {
            LOG.warn("Could not read {} to see whether its password still signs in: {}", passwordFile.toAbsolutePath(), e.getMessage());
            return;
        }
        if (!users.oneTimePasswordSignsIn(USERNAME, password, clock.instant())) {
            remove();
        }
    }

    /** A file that cannot be removed is warned about, not failed on: its password no longer signs in. */
    private void remove() {
        try {
            if (Files.deleteIfExists(passwordFile)) {
                LOG.info("Removed {}: the initial administrator's one-time password in it no longer signs in", passwordFile.toAbsolutePath());
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}, whose password no longer signs in: {}", passwordFile.toAbsolutePath(), e.getMessage());
        }
    }

    private static void write(Path file, String password) {
        try {
            Files.deleteIfExists(file);
            OwnerOnly.writeNew(file, password + "\n");
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("could not create " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the initial administrator password to " + file, e);
        }
    }
}
