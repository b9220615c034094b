package org.custody.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.custody.common.InvalidInputException;

/**
 * Turns a {@link LogEvent} into the stored form of a log entry. The entry bytes are the RFC 8785 encoding of
 * <pre>{"v":1,"index":…,"time":"…Z","actor":{"id":…,"username":…},"action":…,"subject":{"type":…,"id":…},
 * "payload":"&lt;base64 SHA-256(salt || JCS(payload))&gt;"}</pre>
 * They carry nothing about a detainee: the payload is only committed to, so it can later be erased without
 * breaking the tree that hashes these bytes.
 */
public final class EntryEncoder {
    public static final int ENTRY_VERSION = 1;
    public static final int SALT_BYTES = 32;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;
    private final SecureRandom random;
    private final EntryTimes times = new EntryTimes();

    public EntryEncoder(ObjectMapper mapper, SecureRandom random) {
        this.mapper = mapper;
        this.random = random;
    }

    public EncodedEntry encode(long index, Instant time, Actor actor, LogEvent event) {
        byte[] payload;
        try {
            payload = Jcs.canonicalize(mapper.valueToTree(event.payload()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("body", "cannot be recorded: " + e.getMessage());
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] commitment = commitment(salt, payload);

        ObjectNode entry = mapper.createObjectNode();
        entry.put("v", ENTRY_VERSION);
        entry.put("index", index);
        entry.put("time", times.format(time));
        if (actor == null) {
            entry.putNull("actor");
        } else {
            ObjectNode actorNode = entry.putObject("actor");
            actorNode.put("id", actor.id() == null ? null : actor.id().toString());
            actorNode.put("username", actor.username());
        }
        entry.put("action", event.action().wireName());
        if (event.subject() == null) {
            entry.putNull("subject");
        } else {
            ObjectNode subject = entry.putObject("subject");
            subject.put("type", event.subject().type());
            subject.put("id", event.subject().id() == null ? null : event.subject().id().toString());
        }
        entry.put("payload", Base64.getEncoder().encodeToString(commitment));
        return new EncodedEntry(index, Jcs.canonicalize(entry), time, event, salt, new String(payload, StandardCharsets.UTF_8));
    }

    /** An entry's time as its bytes give it: UTC, to the millisecond. */
    public static String time(Instant time) {
        return TIME.format(time);
    }

    /** The payload commitment: SHA-256(salt || JCS(payload)). */
    public static byte[] commitment(byte[] salt, String canonicalPayload) {
        return commitment(salt, canonicalPayload.getBytes(StandardCharsets.UTF_8));
    }

    /** The payload commitment over the payload's UTF-8 bytes. */
    public static byte[] commitment(byte[] salt, byte[] canonicalPayload) {
        MessageDigest sha256 = sha256();
        sha256.update(salt);
        sha256.update(canonicalPayload);
        return sha256.digest();
    }

    static MessageDigest sha256() {
        return org.custody.common.Sha256Digest.newDigest();
    }

    /** A log entry ready to be inserted: its bytes, the event it records, and the salted payload. */
    public record EncodedEntry(long index, byte[] entryBytes, Instant time, LogEvent event, byte[] salt, String payload) {
        public String action() {
            return event.action().wireName();
        }

        public String subjectType() {
            return event.subject() == null ? null : event.subject().type();
        }

        public java.util.UUID subjectId() {
            return event.subject() == null ? null : event.subject().id();
        }
    }
}
