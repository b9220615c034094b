package org.custody.log;

import com.codahale.metrics.health.HealthCheck;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.jdbi.v3.core.Jdbi;

/**
 * Healthy when the service can keep its promise to sign: the current key's file is readable and holds that key, no key
 * file may be read by others than its owner, and the latest stored checkpoint verifies under the log's keys and names
 * the root the head has at its size.
 */
public final class SigningHealthCheck extends HealthCheck {
    private final Jdbi jdbi;
    private final LogKeys keys;

    public SigningHealthCheck(Jdbi jdbi, LogKeys keys) {
        this.jdbi = jdbi;
        this.keys = keys;
    }

    @Override
    protected Result check() throws Exception {
        Optional<NoteKey> current = keys.currentKey();
        if (current.isEmpty()) {
            return Result.unhealthy("no log key is registered");
        }
        try {
            keys.readSigner(current.get());
        } catch (RuntimeException e) {
            return Result.unhealthy("the current log key " + current.get().keyIdHex() + " cannot be read: " + e.getMessage());
        }
        List<TreeDao.KeyRow> history = keys.history();
        for (TreeDao.KeyRow key : history) {
            Optional<String> loose = keys.looseAccess(key.noteKey());
            if (loose.isPresent()) {
                return Result.unhealthy("the private key file of log key " + key.keyId() + " may be read by others than its owner ("
                        + loose.get() + "): chmod 600 it");
            }
        }
        Optional<String> latest = jdbi.withExtension(TreeDao.class, TreeDao::latestCheckpoint);
        if (latest.isEmpty()) {
            return Result.unhealthy("no checkpoint is stored");
        }
        SignedNote note = SignedNote.parse(latest.get());
        List<NoteKey> all = history.stream().map(TreeDao.KeyRow::noteKey).toList();
        if (note.verifiedBy(all).isEmpty()) {
            return Result.unhealthy("the latest checkpoint is not signed by any key of this log");
        }
        Checkpoint checkpoint = Checkpoint.parse(note.body());
        LogDao.Head head = jdbi.withExtension(LogDao.class, LogDao::head);
        if (head.size() == checkpoint.size() && !MessageDigest.isEqual(head.root(), checkpoint.root())) {
            return Result.unhealthy("the latest checkpoint's root is not the log head's root at size " + checkpoint.size());
        }
        if (head.size() < checkpoint.size()) {
            return Result.unhealthy("the latest checkpoint covers " + checkpoint.size() + " entries; the log head has " + head.size());
        }
        return Result.healthy("key " + current.get().keyIdHex() + " readable; checkpoint of size " + checkpoint.size() + " verifies");
    }
}
