package org.custody.log.signing;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A c2sp.org/tlog-checkpoint body: the log's origin, its size and its root hash. */
public record Checkpoint(String origin, long size, byte[] root) {
    private static final Pattern BODY = Pattern.compile("([^\\n]+)\\n(0|[1-9][0-9]{0,18})\\n([A-Za-z0-9+/]{43}=)\\n(?:[^\\n]+\\n)*");

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    public static Checkpoint parse(String body) throws SignedNote.NoteException {
        Matcher matcher = BODY.matcher(body);
        if (!matcher.matches()) {
            throw new SignedNote.NoteException("not a checkpoint: expected origin, size and base64 root hash lines");
        }
        return new Checkpoint(matcher.group(1), Long.parseLong(matcher.group(2)), Base64.getDecoder().decode(matcher.group(3)));
    }
}
