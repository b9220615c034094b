package org.custody.audit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.custody.log.TreeDao;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;

/**
 * Checks the signatures of the stored checkpoints on a thread and a connection of its own while verify-log reads the
 * entries, so that the checks use the time the reading leaves (a log has a checkpoint per batch of writes, over a
 * hundred thousand for a million entries, and one Ed25519 check costs about a tenth of a millisecond). It checks them
 * against the keys the key table lists; the log's own record of its keys is known only once the entries are replayed,
 * so a result counts only for a checkpoint whose note has not changed since and that one of the replayed keys signed.
 * Every other checkpoint is checked again afterwards, so nothing depends on this having finished, or having worked.
 */
final class EarlySignatureChecks {
    private record Checked(String note, List<NoteKey> signers) {}

    private final Map<Long, Checked> checked = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    private EarlySignatureChecks(Jdbi jdbi) {
        thread = new Thread(() -> run(jdbi), "verify-log-signatures");
        thread.setDaemon(true);
    }

    static EarlySignatureChecks start(Jdbi jdbi) {
        EarlySignatureChecks checks = new EarlySignatureChecks(jdbi);
        checks.thread.start();
        return checks;
    }

    private void run(Jdbi jdbi) {
        try {
            LogVerifier.inSnapshot(jdbi, handle -> {
                List<NoteKey> keys = handle.attach(TreeDao.class).allKeys().stream().map(TreeDao.KeyRow::noteKey).toList();
                try (ResultIterator<Checked> rows = handle.createQuery("SELECT size, note FROM log_checkpoint ORDER BY size").setFetchSize(1_000)
                        .map((rs, ctx) -> check(rs.getLong(1), rs.getString(2), keys)).iterator()) {
                    while (!stopping && rows.hasNext()) {
                        rows.next();
                    }
                }
            });
        } catch (RuntimeException e) {
            // nothing lost: whatever was not checked here is checked afterwards
        }
    }

    private Checked check(long size, String note, List<NoteKey> keys) {
        try {
            Checked result = new Checked(note, SignedNote.parse(note).verifiedBy(keys));
            checked.put(size, result);
            return result;
        } catch (SignedNote.NoteException e) {
            return null;
        }
    }

    /** Stops checking; what was checked so far stays available. */
    void stop() {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the checkpoint of {@code size}, stored as {@code note}, was found signed by one of {@code keys}. */
    boolean signedBy(long size, String note, Collection<NoteKey> keys) {
        Checked result = checked.get(size);
        return result != null && result.note().equals(note) && result.signers().stream().anyMatch(keys::contains);
    }
}
