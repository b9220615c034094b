package org.custody.log.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * A c2sp.org/signed-note: a text body ending in a newline, a blank line, and one signature line per key:
 * {@code — <key name> <base64(4-byte key ID || Ed25519 signature over the body)>}, the dash being U+2014.
 */
public record SignedNote(String body, List<Signature> signatures) {
    private static final String DASH = "\u2014 ";

    /** One signature line. */
    public record Signature(String keyName, int keyId, byte[] signature) {}

    public static SignedNote sign(String body, Collection<LogSigner> signers) {
        if (!body.endsWith("\n")) {
            throw new IllegalArgumentException("a note body ends with a newline");
        }
        byte[] message = body.getBytes(StandardCharsets.UTF_8);
        List<Signature> signatures = new ArrayList<>();
        for (LogSigner signer : signers) {
            signatures.add(new Signature(signer.key().name(), signer.key().keyId(), signer.sign(message)));
        }
        return new SignedNote(body, signatures);
    }

    public String text() {
        StringBuilder text = new StringBuilder(body).append('\n');
        for (Signature signature : signatures) {
            byte[] blob = ByteBuffer.allocate(4 + signature.signature().length).putInt(signature.keyId()).put(signature.signature()).array();
            text.append(DASH).append(signature.keyName()).append(' ').append(Base64.getEncoder().encodeToString(blob)).append('\n');
        }
        return text.toString();
    }

    /** Splits a note into body and signature lines; does not check the signatures. */
    public static SignedNote parse(String text) throws NoteException {
        int split = text.lastIndexOf("\n\n");
        if (split < 0 || !text.endsWith("\n")) {
            throw new NoteException("not a signed note: no blank line between body and signatures");
        }
        String body = text.substring(0, split + 1);
        List<Signature> signatures = new ArrayList<>();
        for (String line : text.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) {
                throw new NoteException("signature line does not start with an em dash: " + abbreviate(line));
            }
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2) {
                throw new NoteException("signature line is not '— <name> <signature>': " + abbreviate(line));
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new NoteException("signature of " + parts[0] + " is not base64");
            }
            if (blob.length < 5) {
                throw new NoteException("signature of " + parts[0] + " is too short");
            }
            ByteBuffer buffer = ByteBuffer.wrap(blob);
            int keyId = buffer.getInt();
            byte[] signature = new byte[blob.length - 4];
            buffer.get(signature);
            signatures.add(new Signature(parts[0], keyId, signature));
        }
        return new SignedNote(body, signatures);
    }

    /** The signatures that verify under the given keys; each known key that signed is listed once. */
    public List<NoteKey> verifiedBy(Collection<NoteKey> keys) {
        byte[] message = body.getBytes(StandardCharsets.UTF_8);
        List<NoteKey> verified = new ArrayList<>();
        for (Signature signature : signatures) {
            for (NoteKey key : keys) {
                if (key.name().equals(signature.keyName()) && key.keyId() == signature.keyId()
                        && key.verifies(message, signature.signature()) && !verified.contains(key)) {
                    verified.add(key);
                }
            }
        }
        return verified;
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }

    /** A note that cannot be parsed or does not verify. */
    public static class NoteException extends Exception {
        public NoteException(String message) {
            super(message);
        }
    }
}
