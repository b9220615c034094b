package org.custody.log.signing;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A c2sp.org/tlog-checkpoint body: the log's origin, its size and its root hash. */
public record Checkpoint(String origin, long size, byte[] root) {
    private static final Pattern BODY = Pattern.compile("([^\\n]+)\\n(0|[1-9][0-9]{0,18})\\n([A-Za-z0-9+/]{43}=)\\n(?:[^\\n]+\\n)*");

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** A checkpoint, and the trusted key found to have signed it. */
    public record Signed(Checkpoint checkpoint, NoteKey signer) {}

    /**
     * Reads a checkpoint note and checks its signatures with {@code trusted}, as whoever holds the log's published keys
     * does (an export's verifier, the follow-up of a kept checkpoint).
     *
     * @throws SignedNote.NoteException not a checkpoint note, or signed by none of {@code trusted}
     */
    public static Signed verify(String text, List<NoteKey> trusted) throws SignedNote.NoteException {
        SignedNote note = SignedNote.parse(text);
        List<NoteKey> signers = note.verifiedBy(trusted);
        if (signers.isEmpty()) {
            // the signature lines name their keys: after a rotation, which published key to look for
            String named = note.signatures().stream().map(signature -> signature.keyName() + "+" + HexFormat.of().toHexDigits(signature.keyId()))
                    .distinct().collect(Collectors.joining(", "));
            throw new SignedNote.NoteException("not signed by " + (trusted.size() == 1 ? "the key " + trusted.get(0).label() : "any of the keys given")
                    + (named.isEmpty() ? "" : " (its signature lines name " + named + ")"));
        }
        return new Signed(parse(note.body()), signers.get(0));
    }

    public static Checkpoint parse(String body) throws SignedNote.NoteException {
        Matcher matcher = BODY.matcher(body);
        if (!matcher.matches()) {
            throw new SignedNote.NoteException("not a checkpoint: expected origin, size and base64 root hash lines");
        }
        return new Checkpoint(matcher.group(1), Long.parseLong(matcher.group(2)), Base64.getDecoder().decode(matcher.group(3)));
    }
}
