package org.custody.log.signing;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Signs with one Ed25519 log key (Bouncy Castle's implementation: about 20 times faster here than the JDK's). */
public final class LogSigner {
    /**
     * Public keys decoded to curve points (empty when the bytes are not one). A log has a handful of keys and
     * verify-log checks a signature per stored checkpoint, over a hundred thousand per million entries: decoding the
     * key each time was a tenth of each check. Bounded, as the keys checked against can come from a file.
     */
    private static final Map<ByteBuffer, Optional<Ed25519PublicKeyParameters>> DECODED = new ConcurrentHashMap<>();
    private static final int DECODED_KEPT = 64;

    private final Ed25519PrivateKeyParameters privateKey;
    private final NoteKey key;

    public LogSigner(String name, Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.key = new NoteKey(name, privateKey.generatePublicKey().getEncoded());
    }

    public NoteKey key() {
        return key;
    }

    /** A pure Ed25519 signature (RFC 8032) over the message. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Whether {@code signature} is a pure Ed25519 signature (RFC 8032) of the message by the public key. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (signature.length != 64 || publicKey.length != 32) {
            return false;
        }
        Optional<Ed25519PublicKeyParameters> key = decoded(publicKey);
        return key.isPresent() && key.get().verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    private static Optional<Ed25519PublicKeyParameters> decoded(byte[] publicKey) {
        if (DECODED.size() >= DECODED_KEPT) {
            DECODED.clear();
        }
        return DECODED.computeIfAbsent(ByteBuffer.wrap(publicKey.clone()), bytes -> {
            try {
                return Optional.of(new Ed25519PublicKeyParameters(bytes.array(), 0));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}
