package org.custody.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.common.FileMemo;
import org.custody.common.OwnerOnly;
import org.custody.common.ServiceUnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' TOTP secrets as the database holds them: sealed with the {@link SecondFactorKey} from the key directory,
 * which the service reads (or, on a first start that may generate keys, writes) before it takes requests.
 */
public final class SecondFactorSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(SecondFactorSecrets.class);

    private final Path file;
    private final char[] passphrase;
    private final SecureRandom random;
    private final Clock clock;
    private volatile SecondFactorKey key;
    /** The health check's reads: the same bytes are not derived from the passphrase again at every poll. */
    private final FileMemo<SecondFactorKey> readFiles = new FileMemo<>();

    /** The secrets sealed under the key file {@value SecondFactorKey#FILE_NAME} in {@code keyDirectory}. */
    public SecondFactorSecrets(Path keyDirectory, char[] passphrase, SecureRandom random, Clock clock) {
        this.file = keyDirectory.resolve(SecondFactorKey.FILE_NAME);
        this.passphrase = passphrase;
        this.random = random;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /**
     * Reads the key, or generates it when allowed and the database has none recorded yet, and checks it against the
     * database: it must be the key whose check value the database records (recorded here by the first instance to
     * start, or by the first start after an upgrade) and open a secret the database holds. A service that started with
     * another key would refuse every second factor sealed under the first and seal new ones that the other instances
     * cannot open, so it does not start.
     */
    public void ensure(Jdbi jdbi, boolean generateIfMissing) {
        Optional<byte[]> recorded = RecordedSecondFactorKey.read(jdbi);
        Optional<UserDao.StoredSecret> stored = oneSealed(jdbi);
        SecondFactorKey found;
        if (Files.exists(file)) {
            found = SecondFactorKey.read(file, passphrase, random);
        } else if (recorded.isPresent() || stored.isPresent()) {
            throw new IllegalStateException("the database's second factors are sealed under a key that is not at " + file.toAbsolutePath()
                    + ": restore it from the key directory's backup (or, for another instance, copy the first instance's key directory)");
        } else if (generateIfMissing) {
            found = generate();
        } else {
            throw new IllegalStateException("no second-factor key at " + file.toAbsolutePath() + ": run 'keys generate'");
        }
        requireRecorded(found, recorded);
        stored.ifPresent(secret -> requireOpens(found, secret));
        if (recorded.isEmpty()) {
            requireRecorded(found, Optional.of(RecordedSecondFactorKey.recordIfNone(jdbi, found.checkValue(), clock.instant())));
        }
        looseAccess().ifPresent(permissions -> LOG.warn("The second-factor key file {} may be read by others than its owner ({}): "
                + "make it readable by the service's user alone (chmod 600)", file.toAbsolutePath(), permissions));
        key = found;
    }

    /**
     * Why second factors could not be checked now, if they could not: for the health check, which reads the file again
     * so that it notices one that went missing, changed or became readable by others (the same bytes as last time are
     * not opened again, {@link FileMemo}).
     */
    public Optional<String> problem(Jdbi jdbi) {
        try {
            SecondFactorKey onDisk;
            try {
                onDisk = readFiles.read(file, content -> SecondFactorKey.parse(file, content, passphrase, random));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the second-factor key file " + file, e);
            }
            requireRecorded(onDisk, RecordedSecondFactorKey.read(jdbi));
            oneSealed(jdbi).ifPresent(secret -> requireOpens(onDisk, secret));
            return looseAccess().map(permissions -> "the second-factor key file " + file.toAbsolutePath()
                    + " may be read by others than its owner (" + permissions + "): chmod 600 it");
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Whether the database depends on a second-factor key already: it records one as its own, or holds a secret sealed
     * under one. Until then any key will do, and one is generated where that is allowed.
     */
    public boolean inUse(Jdbi jdbi) {
        return RecordedSecondFactorKey.read(jdbi).isPresent() || oneSealed(jdbi).isPresent();
    }

    /** A sealed secret the database holds, if any (not one stored in the clear by an earlier version). */
    private static Optional<UserDao.StoredSecret> oneSealed(Jdbi jdbi) {
        return stored(jdbi).stream().filter(secret -> SecondFactorKey.looksSealed(secret.stored())).findFirst();
    }

    private static List<UserDao.StoredSecret> stored(Jdbi jdbi) {
        return jdbi.withHandle(UserDao::storedSecrets);
    }

    /** The users whose secret an earlier version stored in the clear ({@link SecondFactor#sealStoredInTheClear()}). */
    static List<UUID> storedInTheClear(Jdbi jdbi) {
        return stored(jdbi).stream().filter(secret -> !SecondFactorKey.looksSealed(secret.stored())).map(UserDao.StoredSecret::userId).toList();
    }

    private static boolean opens(SecondFactorKey candidate, UserDao.StoredSecret secret) {
        try {
            candidate.open(secret.userId(), secret.stored());
            return true;
        } catch (SecondFactorKey.SealBrokenException e) {
            return false;
        }
    }

    private void requireRecorded(SecondFactorKey candidate, Optional<byte[]> recorded) {
        if (!RecordedSecondFactorKey.allows(recorded, candidate)) {
            throw new IllegalStateException("the second-factor key " + file.toAbsolutePath() + " is not the key this database's second "
                    + "factors are sealed under: use the key directory the database was used with (for a second instance, the first one's)");
        }
    }

    private void requireOpens(SecondFactorKey candidate, UserDao.StoredSecret secret) {
        if (!opens(candidate, secret)) {
            throw new IllegalStateException("the second-factor key " + file.toAbsolutePath() + " does not open the second factors stored in "
                    + "the database: use the key directory this database was used with");
        }
    }

    private Optional<String> looseAccess() {
        try {
            return OwnerOnly.looseAccess(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the permissions of " + file, e);
        }
    }

    /**
     * Whether the key file is there, is the key the database records and opens every secret the database holds: a key
     * that was lost, or replaced by another, fails one of them.
     */
    public boolean fitsTheDatabase(Jdbi jdbi) {
        if (!Files.exists(file)) {
            return false;
        }
        SecondFactorKey onDisk = SecondFactorKey.read(file, passphrase, random);
        return RecordedSecondFactorKey.allows(RecordedSecondFactorKey.read(jdbi), onDisk)
                && stored(jdbi).stream().allMatch(secret -> opens(onDisk, secret));
    }

    /**
     * Writes a new key once no secret is stored any more, and records it as the database's, setting the file that was
     * there aside (renamed, never deleted: it may be the key after all, found again). Returns where the old file went,
     * if there was one.
     */
    public Optional<Path> replaceKey(Jdbi jdbi) {
        Instant now = clock.instant();
        if (!stored(jdbi).isEmpty()) {
            throw new IllegalStateException("a second factor is still stored beside the key " + file.toAbsolutePath());
        }
        Optional<Path> setAside = Optional.empty();
        if (Files.exists(file)) {
            Path aside = file.resolveSibling(file.getFileName() + ".replaced-" + now.toEpochMilli());
            try {
                Files.move(file, aside);
            } catch (IOException e) {
                throw new UncheckedIOException("could not set " + file + " aside", e);
            }
            setAside = Optional.of(aside);
        }
        key = SecondFactorKey.generate(file, passphrase, random);
        RecordedSecondFactorKey.replace(jdbi, key.checkValue(), now);
        return setAside;
    }

    private SecondFactorKey generate() {
        try {
            SecondFactorKey generated = SecondFactorKey.generate(file, passphrase, random);
            LOG.warn("Generated a new second-factor key in {}: back it up with the log's signing keys, apart from the database; "
                    + "without it no enrolled second factor can be checked", file.toAbsolutePath());
            return generated;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileAlreadyExistsException) {
                return SecondFactorKey.read(file, passphrase, random); // another instance sharing the directory was first
            }
            throw e;
        }
    }

    byte[] seal(UUID userId, byte[] secret) {
        return key().seal(userId, secret);
    }

    /**
     * The user's secret. A row this key does not open (changed in the database, or sealed under another key) is a fault
     * of the deployment, not of the user: refused with 503, and logged for the operator without naming the user.
     */
    byte[] open(UUID userId, byte[] sealed) {
        try {
            return key().open(userId, sealed);
        } catch (SecondFactorKey.SealBrokenException e) {
            LOG.error("A stored second factor does not open with the key {}: was the database or the key directory replaced?", file.toAbsolutePath());
            throw new ServiceUnavailableException("The second factor cannot be checked now; the operators have been told", e);
        }
    }

    private SecondFactorKey key() {
        SecondFactorKey current = key;
        if (current == null) {
            throw new IllegalStateException("the second-factor key was not read at start");
        }
        return current;
    }
}
