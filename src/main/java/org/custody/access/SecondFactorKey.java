package org.custody.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.custody.common.OwnerOnly;

/**
 * The key that seals users' TOTP secrets in the database (AES-256-GCM), so that a copy of the database or of one of
 * its backups does not give away the second factor: whoever holds it must also hold this key, which lives in a file
 * beside the log's signing keys and is backed up with them, apart from the database.
 *
 * <p>A sealed secret is {@code 0x01 || nonce (12 bytes) || ciphertext || tag (16 bytes)}, with the user's id as
 * associated data, so a sealed secret copied into another user's row does not open there.
 *
 * <p>The file is two lines of text: {@value #HEADER}, then the key in base64; or, when the log's key passphrase is
 * set, the key sealed under it (PBKDF2-HMAC-SHA256, 600,000 rounds, then AES-256-GCM):
 * {@code pbkdf2-sha256 <rounds> <salt> <nonce> <sealed key>}, each in base64.
 */
public final class SecondFactorKey {
    public static final String FILE_NAME = "second-factors.key";
    static final String HEADER = "custody second-factor key 1";

    private static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final int PASSPHRASE_ROUNDS = 600_000;
    private static final byte[] LABEL = "custody/totp-secret".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECK_LABEL = "custody/second-factor-key-check".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECK_BYTES = 16;

    private final SecretKey key;
    private final SecureRandom random;

    private SecondFactorKey(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /**
     * A new key, written to a new file readable by its owner alone and on disk before this returns; refuses to
     * overwrite one ({@link java.nio.file.FileAlreadyExistsException} as the cause).
     */
    public static SecondFactorKey generate(Path file, char[] passphrase, SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        String body = passphrase == null || passphrase.length == 0 ? base64(key) : sealUnderPassphrase(key, passphrase, random);
        try {
            OwnerOnly.writeNew(file, HEADER + "\n" + body + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the second-factor key file " + file, e);
        }
        return new SecondFactorKey(key, random);
    }

    public static SecondFactorKey read(Path file, char[] passphrase, SecureRandom random) {
        try {
            return parse(file, Files.readAllBytes(file), passphrase, random);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the second-factor key file " + file, e);
        }
    }

    /** The key in a key file's bytes ({@code file} names it in messages). */
    static SecondFactorKey parse(Path file, byte[] content, char[] passphrase, SecureRandom random) {
        List<String> lines = new String(content, StandardCharsets.US_ASCII).lines().toList();
        if (lines.size() != 2 || !lines.get(0).equals(HEADER)) {
            throw new IllegalStateException("the file " + file + " is not a second-factor key (" + HEADER + ")");
        }
        String[] fields = lines.get(1).split(" ");
        byte[] key;
        try {
            if (fields.length == 1) {
                key = Base64.getDecoder().decode(fields[0]);
            } else if (fields.length == 5 && fields[0].equals("pbkdf2-sha256")) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new IllegalStateException("the second-factor key file " + file + " is encrypted and no passphrase is configured");
                }
                key = openUnderPassphrase(fields, passphrase, file);
            } else {
                throw new IllegalStateException("the second-factor key file " + file + " is not in a form this version reads");
            }
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException("the second-factor key file " + file + " is not in a form this version reads");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("the second-factor key file " + file + " holds no 256-bit key");
        }
        return new SecondFactorKey(key, random);
    }

    /**
     * Whether a stored value can be a sealed secret at all: one stored in the clear, by a version before secrets were
     * sealed, is the secret's 20 bytes, shorter than any seal.
     */
    public static boolean looksSealed(byte[] stored) {
        return stored.length >= 1 + NONCE_BYTES + TAG_BITS / 8 && stored[0] == FORMAT;
    }

    /**
     * What tells this key from another without giving it away: the first 16 bytes of HMAC-SHA-256 under the key of a
     * fixed label. The database records it ({@link SecondFactorSecrets}), so that an instance given another key
     * refuses to start instead of sealing secrets the other instances cannot open.
     */
    public byte[] checkValue() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(CHECK_LABEL), CHECK_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /** The secret sealed for one user's row. */
    public byte[] seal(UUID userId, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, nonce, associatedData(userId), secret);
        return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
    }

    /**
     * The secret a user's row holds; {@link SealBrokenException} when this key did not seal it for this user (another
     * key, another user's row, a changed byte, or a secret stored before secrets were sealed).
     */
    public byte[] open(UUID userId, byte[] sealed) {
        if (!looksSealed(sealed)) {
            throw new SealBrokenException();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(userId));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealBrokenException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** A stored secret this key does not open. */
    public static final class SealBrokenException extends RuntimeException {
        SealBrokenException() {
            super("the second-factor key does not open this stored secret", null, false, false);
        }
    }

    private static byte[] associatedData(UUID userId) {
        return ByteBuffer.allocate(LABEL.length + 16).put(LABEL)
                .putLong(userId.getMostSignificantBits()).putLong(userId.getLeastSignificantBits()).array();
    }

    private static String sealUnderPassphrase(byte[] key, char[] passphrase, SecureRandom random) {
        byte[] salt = new byte[16];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, fromPassphrase(passphrase, salt, PASSPHRASE_ROUNDS), nonce, HEADER.getBytes(StandardCharsets.US_ASCII), key);
        return String.join(" ", "pbkdf2-sha256", Integer.toString(PASSPHRASE_ROUNDS), base64(salt), base64(nonce), base64(sealed));
    }

    private static byte[] openUnderPassphrase(String[] fields, char[] passphrase, Path file) {
        int rounds;
        try {
            rounds = Integer.parseInt(fields[1]);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the second-factor key file " + file + " is not in a form this version reads");
        }
        if (rounds < 1 || rounds > 10_000_000) {
            throw new IllegalStateException("the second-factor key file " + file + " asks for " + rounds + " PBKDF2 rounds");
        }
        Base64.Decoder decoder = Base64.getDecoder();
        byte[] nonce = decoder.decode(fields[3]);
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalStateException("the second-factor key file " + file + " is not in a form this version reads");
        }
        try {
            return crypt(Cipher.DECRYPT_MODE, fromPassphrase(passphrase, decoder.decode(fields[2]), rounds), nonce,
                    HEADER.getBytes(StandardCharsets.US_ASCII), decoder.decode(fields[4]));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof AEADBadTagException) {
                throw new IllegalStateException("could not decrypt the second-factor key file " + file + " (wrong passphrase?)");
            }
            throw e;
        }
    }

    private static SecretKey fromPassphrase(char[] passphrase, byte[] salt, int rounds) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, rounds, KEY_BYTES * 8);
        try {
            return new SecretKeySpec(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2-HMAC-SHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, byte[] associatedData, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "SecondFactorKey";
    }
}
