package org.custody.audit;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.jdbi.v3.core.Handle;

/**
 * verify-log's checks of signed checkpoints (c2sp.org/tlog-checkpoint notes) against the tree it rebuilt from the
 * entries: every stored checkpoint, and one that someone kept from earlier ({@code --checkpoint}), which is what
 * catches a log rolled back and signed again with the real key.
 */
final class CheckpointChecks {
    private final String origin;

    CheckpointChecks(String origin) {
        this.origin = origin;
    }

    /** A checkpoint someone kept: the signed note as given, and the checkpoint its body holds. */
    record Kept(SignedNote note, Checkpoint checkpoint) {}

    /** The kept checkpoint, if one was given; a text that is not a signed note, or a body that is no checkpoint, is a finding. */
    static Optional<Kept> parseKept(Optional<String> kept, Findings findings) {
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        try {
            SignedNote note = SignedNote.parse(kept.get());
            return Optional.of(new Kept(note, Checkpoint.parse(note.body())));
        } catch (SignedNote.NoteException e) {
            findings.problem("kept checkpoint: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Checks every stored checkpoint against the {@code entries} stored and the roots rebuilt at the sizes checkpoints
     * name; signatures {@code early} found made by one of the log's keys are not checked again.
     */
    void checkStored(Handle on, Findings into, List<NoteKey> keys, EarlySignatureChecks early, long entries, CheckpointRoots roots) {
        int before = into.problems().size();
        List<Map<String, Object>> rows = on.createQuery("SELECT size, note FROM log_checkpoint ORDER BY size").mapToMap().list();
        rows.parallelStream()
                .map(row -> storedProblem(((Number) row.get("size")).longValue(), (String) row.get("note"), keys, early, entries, roots))
                .toList().stream().filter(Objects::nonNull).forEach(into::problem);
        if (into.problems().size() == before) {
            into.pass(rows.size() + " checkpoints: signed by a log key, consistent with the tree");
        }
    }

    /** What is wrong with one stored checkpoint, or null. */
    private String storedProblem(long size, String text, List<NoteKey> keys, EarlySignatureChecks early, long entries, CheckpointRoots roots) {
        String where = "checkpoint " + size + ": ";
        try {
            SignedNote note = SignedNote.parse(text);
            Checkpoint checkpoint = Checkpoint.parse(note.body());
            if (!early.signedBy(size, text, keys) && note.verifiedBy(keys).isEmpty()) {
                return where + "not signed by any log key";
            } else if (checkpoint.size() != size || !checkpoint.origin().equals(origin)) {
                return where + "names origin " + checkpoint.origin() + " and size " + checkpoint.size();
            } else if (size > entries) {
                return where + "is beyond the " + entries + " stored entries";
            } else if (!MessageDigest.isEqual(roots.root(size), checkpoint.root())) {
                return where + "root differs from the root of the stored entries";
            }
            return null;
        } catch (SignedNote.NoteException e) {
            return where + e.getMessage();
        }
    }

    /** Checks a kept checkpoint: signed by a key of this log, of this log, and its entries still the first of the log's. */
    void checkKept(Kept kept, List<NoteKey> keys, long entries, CheckpointRoots roots, Findings findings) {
        Checkpoint checkpoint = kept.checkpoint();
        String where = "kept checkpoint of size " + checkpoint.size() + ": ";
        if (kept.note().verifiedBy(keys).isEmpty()) {
            findings.problem(where + "not signed by any key of this log");
        } else if (!checkpoint.origin().equals(origin)) {
            findings.problem(where + "is of another log (" + checkpoint.origin() + ")");
        } else if (checkpoint.size() > entries) {
            findings.problem(where + "the log now has only " + entries + " entries: it was rolled back or truncated");
        } else if (!MessageDigest.isEqual(roots.root(checkpoint.size()), checkpoint.root())) {
            findings.problem(where + "the log's first " + checkpoint.size() + " entries are not the ones it signed: the log was rewritten");
        } else {
            findings.pass(where + "the current log extends it");
        }
    }
}
