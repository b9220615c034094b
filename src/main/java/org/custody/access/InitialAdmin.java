package org.custody.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
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
 */
public final class InitialAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);
    public static final String USERNAME = "admin";

    private final Users users;
    private final SecureRandom random;

    public InitialAdmin(Users users, SecureRandom random) {
        this.users = users;
        this.random = random;
    }

    public void ensure(Path passwordFile) {
        if (users.count() > 0) {
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
