package org.custody.access;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * What the log's entries commit to about credentials, so that {@code verify-log} can tell a password hash, a
 * must-change flag or its expiry, a second-factor secret or a session token put into the tables behind the log's back,
 * without the log holding any of them. Each is a domain-separated SHA-256 over an unambiguous encoding (every field
 * length-prefixed). Neither digest helps anyone guess a password or a token: the password hash under it holds a random
 * salt, the second-factor secret and the token are random, and a digest is compared, never reversed.
 */
public final class CredentialDigests {
    private static final byte[] CREDENTIALS = "custody credentials v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SESSION_TOKEN = "custody session token v1\n".getBytes(StandardCharsets.US_ASCII);

    private CredentialDigests() {}

    /**
     * Over what sign-in reads of a user: the password hash, whether it must be changed, the second factor's secret and
     * switch, and when a one-time password expires. The expiry is a fifth field only when there is one (its epoch
     * milliseconds), so digests logged before one-time passwords expired still match their rows.
     */
    public static String credentials(String passwordHash, boolean mustChangePassword, byte[] totpSecret, boolean totpEnabled,
                                     Instant passwordExpiresAt) {
        ByteArrayOutputStream input = new ByteArrayOutputStream(256);
        input.writeBytes(CREDENTIALS);
        field(input, passwordHash.getBytes(StandardCharsets.UTF_8));
        field(input, new byte[] {(byte) (mustChangePassword ? 1 : 0)});
        field(input, totpSecret == null ? new byte[0] : totpSecret);
        field(input, new byte[] {(byte) (totpEnabled ? 1 : 0)});
        if (passwordExpiresAt != null) {
            field(input, ByteBuffer.allocate(8).putLong(passwordExpiresAt.toEpochMilli()).array());
        }
        return digest(input.toByteArray());
    }

    /** Over the stored hash of a session's token (the column sign-in looks the token up by). */
    public static String sessionToken(byte[] tokenHash) {
        ByteArrayOutputStream input = new ByteArrayOutputStream(64);
        input.writeBytes(SESSION_TOKEN);
        field(input, tokenHash);
        return digest(input.toByteArray());
    }

    private static void field(ByteArrayOutputStream input, byte[] value) {
        input.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        input.writeBytes(value);
    }

    private static String digest(byte[] input) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
