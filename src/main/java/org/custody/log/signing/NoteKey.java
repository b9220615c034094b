package org.custody.log.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A public Ed25519 key as c2sp.org/signed-note names it: a key name and a 4-byte key ID, written as the
 * verifier key string {@code <name>+<hex key ID>+<base64(0x01 || public key)>}.
 */
public final class NoteKey {
    /** Signature type byte for Ed25519 (c2sp.org/signed-note, "Signature types"). */
    public static final byte ED25519 = 0x01;
    private static final Pattern NAME = Pattern.compile("[^\\s+]+");
    /** Checks by Bouncy Castle alone before the key is prepared: a service checks a key a few times, verify-log many. */
    static final int PREPARE_AFTER = 1_000;

    private final String name;
    private final byte[] publicKey;
    private final int keyId;
    /**
     * The key decoded to a curve point once: verify-log checks a signature per stored checkpoint, over a hundred
     * thousand per million entries, and decoding was a tenth of each check. Empty when the bytes are no point.
     */
    private final Optional<Ed25519PublicKeyParameters> point;
    /** Checks made so far, until the key is prepared for many (see {@link #verifies}). */
    private final AtomicInteger checks = new AtomicInteger();
    private volatile PreparedKey prepared;

    public NoteKey(String name, byte[] publicKey) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name must be non-empty, without spaces or '+'");
        }
        if (publicKey == null || publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        }
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = keyId(name, this.publicKey);
        this.point = decode(this.publicKey);
    }

    public String name() {
        return name;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Key ID: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), c2sp.org/signed-note. */
    public int keyId() {
        return keyId;
    }

    /**
     * Whether {@code signature} is this key's pure Ed25519 signature (RFC 8032 §5.1.7) of the message. After
     * {@link #PREPARE_AFTER} checks the key is {@linkplain PreparedKey prepared} for many, which halves the cost of each
     * (preparing costs about as much as a hundred checks); a signature the prepared key does not accept is checked
     * by Bouncy Castle as well, so that a rejection never rests on this project's curve arithmetic alone.
     */
    public boolean verifies(byte[] message, byte[] signature) {
        if (signature.length != 64 || point.isEmpty()) {
            return false;
        }
        PreparedKey fast = preparedAfterManyChecks();
        return fast != null && fast.verifies(message, signature)
                || point.get().verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    private PreparedKey preparedAfterManyChecks() {
        PreparedKey fast = prepared;
        if (fast == null && checks.incrementAndGet() == PREPARE_AFTER) {
            fast = PreparedKey.of(publicKey);
            prepared = fast;
        }
        return fast;
    }

    private static Optional<Ed25519PublicKeyParameters> decode(byte[] publicKey) {
        try {
            return Optional.of(new Ed25519PublicKeyParameters(publicKey, 0));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(ED25519);
            return ByteBuffer.wrap(sha256.digest(publicKey)).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String keyIdHex() {
        return HexFormat.of().toHexDigits(keyId());
    }

    /** The key's name and ID, {@code <name>+<hex key ID>}, as a signature line and a verifier key name it. */
    public String label() {
        return name + "+" + keyIdHex();
    }

    public String verifierKey() {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** Parses and checks a verifier key string: its key ID must match its name and key. */
    public static NoteKey parseVerifierKey(String text) {
        String[] parts = text.strip().split("\\+", 3);
        if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64 key>");
        }
        byte[] typed;
        try {
            typed = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the verifier key's key is not base64");
        }
        if (typed.length != 33 || typed[0] != ED25519) {
            throw new IllegalArgumentException("the verifier key is not an Ed25519 key");
        }
        NoteKey key = new NoteKey(parts[0], java.util.Arrays.copyOfRange(typed, 1, 33));
        if (!key.keyIdHex().equals(parts[1])) {
            throw new IllegalArgumentException("the verifier key's ID does not match its name and key");
        }
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NoteKey key && key.name.equals(name) && MessageDigest.isEqual(key.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + java.util.Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
