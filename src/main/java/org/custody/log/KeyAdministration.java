package org.custody.log;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.common.ConflictException;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.NoteKey;

/**
 * Registers and rotates the log's signing key. Both are log entries: a rotation's checkpoint is signed by the
 * outgoing and the incoming key, so anyone who trusts the old key learns the new one from the log itself.
 */
public final class KeyAdministration {
    private final Ledger ledger;
    private final LogKeys keys;
    private final SecureRandom random;

    public KeyAdministration(Ledger ledger, LogKeys keys, SecureRandom random) {
        this.ledger = ledger;
        this.keys = keys;
        this.random = random;
    }

    /**
     * Makes sure a signing key is registered before anything else is logged: registers the one key file found in
     * the key directory, or generates one when allowed (the embedded default).
     */
    public void ensureCurrentKey(boolean generateIfMissing) {
        if (keys.currentKey().isPresent()) {
            keys.signer(keys.currentKey().get());
            return;
        }
        List<LogSigner> files = keys.unregisteredFiles();
        LogSigner signer;
        if (files.size() == 1) {
            signer = files.get(0);
        } else if (files.isEmpty() && generateIfMissing) {
            signer = keys.generate(random);
            LogKeys.warnGenerated(keys.directory());
        } else if (files.isEmpty()) {
            throw new IllegalStateException("no log signing key in " + keys.directory().toAbsolutePath() + ": run 'keys generate'");
        } else {
            throw new IllegalStateException("several unregistered key files in " + keys.directory().toAbsolutePath() + ": keep one");
        }
        try {
            ledger.submit(Actor.SYSTEM, new Register(signer.key()));
        } catch (ConflictException anotherInstanceWasFirst) {
            keys.signer(keys.currentKey().orElseThrow());
        }
    }

    /** Generates a new key and makes it current; returns it. */
    public Recorded<NoteKey> rotate(Actor actor) {
        NoteKey previous = keys.currentKey().orElseThrow(() -> new IllegalStateException("no current log key to rotate"));
        keys.signer(previous);
        LogSigner next = keys.generate(random);
        return ledger.submit(actor, new Rotate(previous, next.key()));
    }

    private static Map<String, Object> describe(NoteKey key) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("keyId", key.keyIdHex());
        payload.put("name", key.name());
        payload.put("publicKey", Base64.getEncoder().encodeToString(key.publicKey()));
        payload.put("verifierKey", key.verifierKey());
        return payload;
    }

    /** Registers the first key. */
    record Register(NoteKey key) implements Change<NoteKey> {
        @Override
        public Applied<NoteKey> apply(ChangeContext context) {
            TreeDao tree = context.attach(TreeDao.class);
            if (!tree.currentKeys().isEmpty()) {
                throw new ConflictException("a log key is already registered");
            }
            tree.insertKey(key.keyIdHex(), key.name(), key.publicKey(), context.now());
            Map<String, Object> payload = describe(key);
            payload.put("validFrom", context.now());
            return new Applied<>(key, LogEvent.of(LogAction.LOG_KEY_REGISTERED, Subject.log(), payload));
        }
    }

    /** Retires the current key and makes the new one current, in one entry. */
    record Rotate(NoteKey previous, NoteKey next) implements Change<NoteKey> {
        @Override
        public Applied<NoteKey> apply(ChangeContext context) {
            TreeDao tree = context.attach(TreeDao.class);
            if (tree.retireKey(previous.keyIdHex(), context.now()) != 1) {
                throw new ConflictException("log key " + previous.keyIdHex() + " is not the current key");
            }
            tree.insertKey(next.keyIdHex(), next.name(), next.publicKey(), context.now());
            Map<String, Object> payload = describe(next);
            payload.put("previousKeyId", previous.keyIdHex());
            payload.put("validFrom", context.now());
            return new Applied<>(next, LogEvent.of(LogAction.LOG_KEY_ROTATED, Subject.log(), payload));
        }
    }
}
