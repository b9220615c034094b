package org.custody.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.custody.common.FileMemo;
import org.custody.log.signing.KeyFiles;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.NoteKey;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's signing keys. Public halves are rows in {@code log_key} (with the period each was current);
 * private halves are PKCS#8 files named {@code <key ID>.pem} in the key directory, outside the database.
 */
public final class LogKeys {
    private static final Logger LOG = LoggerFactory.getLogger(LogKeys.class);

    private final Jdbi jdbi;
    private final Path directory;
    private final String name;
    private final char[] passphrase;
    private final Map<String, LogSigner> signers = new ConcurrentHashMap<>();
    private final FileMemo<LogSigner> readFiles = new FileMemo<>();

    public LogKeys(Jdbi jdbi, Path directory, String name, char[] passphrase) {
        this.jdbi = jdbi;
        this.directory = directory;
        this.name = name;
        this.passphrase = passphrase;
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    /** Generates a new key file in the key directory and returns its signer. */
    public LogSigner generate(SecureRandom random) {
        Ed25519PrivateKeyParameters key = KeyFiles.generate(random);
        LogSigner signer = new LogSigner(name, key);
        KeyFiles.write(file(signer.key()), key, passphrase);
        signers.put(signer.key().keyIdHex(), signer);
        return signer;
    }

    /** Signers for every key that was current when the batch began or is current now (both sign a rotation). */
    List<LogSigner> signersFor(List<NoteKey> currentBefore, List<NoteKey> currentAfter) {
        Map<String, NoteKey> keys = new LinkedHashMap<>();
        currentBefore.forEach(key -> keys.put(key.keyIdHex(), key));
        currentAfter.forEach(key -> keys.put(key.keyIdHex(), key));
        List<LogSigner> result = new ArrayList<>();
        for (NoteKey key : keys.values()) {
            result.add(signer(key));
        }
        return result;
    }

    static List<NoteKey> current(TreeDao tree) {
        return tree.currentKeys().stream().map(TreeDao.KeyRow::noteKey).toList();
    }

    public Optional<NoteKey> currentKey() {
        return jdbi.withExtension(TreeDao.class, LogKeys::current).stream().reduce((first, second) -> second);
    }

    public List<TreeDao.KeyRow> history() {
        return jdbi.withExtension(TreeDao.class, TreeDao::allKeys);
    }

    /** The private key for a registered public key, from its file; refuses a file that holds another key. */
    public LogSigner signer(NoteKey key) {
        return signers.computeIfAbsent(key.keyIdHex(), id -> {
            LogSigner signer = readSigner(key);
            looseAccess(key).ifPresent(permissions -> LOG.warn("The private key file of log key {} may be read by others than its owner ({}): "
                    + "make it readable by the service's user alone (chmod 600)", key.keyIdHex(), permissions));
            return signer;
        });
    }

    /** The permissions of a key's file when others than its owner may use it (see {@link KeyFiles#looseAccess}). */
    public Optional<String> looseAccess(NoteKey key) {
        Path file = file(key);
        return Files.isRegularFile(file) ? KeyFiles.looseAccess(file) : Optional.empty();
    }

    /**
     * Reads the key's file again: for the health check, which must notice a file that went missing or changed. The same
     * bytes as last time are not decrypted again ({@link FileMemo}).
     */
    public LogSigner readSigner(NoteKey key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the private key for log key " + key.keyIdHex() + " is not in " + directory.toAbsolutePath());
        }
        LogSigner signer;
        try {
            signer = readFiles.read(file, content -> new LogSigner(name, KeyFiles.parse(file, content, passphrase)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read the key file " + file, e);
        }
        if (!MessageDigest.isEqual(signer.key().publicKey(), key.publicKey()) || !key.name().equals(name)) {
            throw new IllegalStateException("the key file " + file + " does not hold log key " + key.keyIdHex() + " named " + key.name());
        }
        return signer;
    }

    /** Key files in the directory that no registered key claims, for first start. */
    public List<LogSigner> unregisteredFiles() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> registered = history().stream().map(TreeDao.KeyRow::keyId).toList();
        try (Stream<Path> files = Files.list(directory)) {
            List<LogSigner> found = new ArrayList<>();
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                LogSigner signer = new LogSigner(name, KeyFiles.read(file, passphrase));
                if (!registered.contains(signer.key().keyIdHex())) {
                    found.add(signer);
                }
            }
            return found;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path file(NoteKey key) {
        return directory.resolve(key.keyIdHex() + ".pem");
    }

    static void warnGenerated(Path directory) {
        LOG.warn("Generated a new log signing key in {}: back it up apart from the database, and keep it out of the database's backups",
                directory.toAbsolutePath());
    }
}
