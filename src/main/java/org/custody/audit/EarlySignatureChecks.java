package org.custody.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.custody.common.Sha256Digest;
import org.custody.log.TreeDao;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;

/**
 * Checks the signatures of the stored checkpoints on a thread and a connection of its own while verify-log reads the
 * entries, so that the checks use the time the reading leaves (a log has a checkpoint per batch of writes, over a
 * hundred thousand for a million entries, and one Ed25519 check costs some tens of microseconds). It checks them
 * against the keys the key table lists; the log's own record of its keys is known only once the entries are replayed,
 * so a result counts only for a checkpoint whose note has not changed since and that one of the replayed keys signed.
 * Every other checkpoint is checked again afterwards, so nothing depends on this having finished, or having worked.
 */
final class EarlySignatureChecks {
    /** Keys beyond this many in the key table are not remembered as signers (their checkpoints are checked again). */
    private static final int MAX_KEYS = Long.SIZE;

    private final Thread thread;
    private volatile boolean stopping;
    /** The key table's keys, as the checks used them. */
    private List<NoteKey> keys = List.of();
    /**
     * The checkpoints checked, in the order read (by size): their sizes, the SHA-256 of each note as read, and which
     * of {@link #keys} signed it (bit i for key i). Primitive arrays, not an object per checkpoint: over a hundred
     * thousand checkpoints stay in memory until the entries are replayed. Written by the checking thread only, read
     * only once it has ended ({@link #stop} joins it).
     */
    private long[] sizes = new long[1_024];
    private byte[] noteDigests = new byte[1_024 * 32];
    private long[] signers = new long[1_024];
    private int checked;

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
            Snapshot.read(jdbi, handle -> {
                keys = handle.attach(TreeDao.class).allKeys().stream().map(TreeDao.KeyRow::noteKey).toList();
                try (ResultIterator<Boolean> rows = handle.createQuery("SELECT size, note FROM log_checkpoint ORDER BY size").setFetchSize(1_000)
                        .map((rs, ctx) -> check(rs.getLong(1), rs.getString(2))).iterator()) {
                    while (!stopping && rows.hasNext()) {
                        rows.next();
                    }
                }
            });
        } catch (RuntimeException e) {
            // nothing lost: whatever was not checked here is checked afterwards
        }
    }

    private boolean check(long size, String note) {
        List<NoteKey> signedBy;
        try {
            signedBy = SignedNote.parse(note).verifiedBy(keys);
        } catch (SignedNote.NoteException e) {
            return false;
        }
        long signerBits = 0;
        for (int i = 0; i < Math.min(keys.size(), MAX_KEYS); i++) {
            if (signedBy.contains(keys.get(i))) {
                signerBits |= 1L << i;
            }
        }
        if (checked == sizes.length) {
            sizes = Arrays.copyOf(sizes, checked * 2);
            signers = Arrays.copyOf(signers, checked * 2);
            noteDigests = Arrays.copyOf(noteDigests, checked * 2 * 32);
        }
        sizes[checked] = size;
        signers[checked] = signerBits;
        System.arraycopy(digest(note), 0, noteDigests, checked * 32, 32);
        checked++;
        return signerBits != 0;
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

    /** Whether the checkpoint of {@code size}, stored as {@code note}, was found signed by one of {@code replayedKeys}. */
    boolean signedBy(long size, String note, Collection<NoteKey> replayedKeys) {
        if (thread.isAlive()) {
            return false; // stop() was interrupted before the thread ended: its arrays are not to be read
        }
        int at = Arrays.binarySearch(sizes, 0, checked, size);
        if (at < 0 || !Arrays.equals(noteDigests, at * 32, at * 32 + 32, digest(note), 0, 32)) {
            return false;
        }
        for (int i = 0; i < Math.min(keys.size(), MAX_KEYS); i++) {
            if ((signers[at] & 1L << i) != 0 && replayedKeys.contains(keys.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] digest(String note) {
        return Sha256Digest.newDigest().digest(note.getBytes(StandardCharsets.UTF_8));
    }
}
