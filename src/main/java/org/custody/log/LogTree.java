package org.custody.log;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.TreeEdge;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Handle;

/**
 * Extends the Merkle tree with a batch's entries and signs the new checkpoint, inside the batch transaction.
 * Keeps the tree's right edge in memory between batches; reloads it from the tiles when the stored head is not
 * where this edge ends (another instance appended, or the last batch rolled back).
 */
final class LogTree {
    private final LogKeys keys;
    private final String origin;
    private TreeEdge edge;
    /** The root of {@link #edge}, kept so that checking it against the head costs no hashing. */
    private byte[] edgeRoot;
    /** The log keys current at the end of {@link #edge}: keys change only by log entries, so they hold while the head does. */
    private List<NoteKey> edgeKeys;

    LogTree(LogKeys keys, String origin) {
        this.keys = keys;
        this.origin = origin;
    }

    /** The log keys current at the log head: remembered from the last batch if the head is where it left it, else read. */
    List<NoteKey> keysAt(long headSize, byte[] headRoot, TreeDao tree) {
        boolean unchanged = edge != null && edgeKeys != null && edge.size() == headSize
                && MessageDigest.isEqual(edgeRoot, headRoot == null ? TreeHash.empty() : headRoot);
        return unchanged ? edgeKeys : LogKeys.current(tree);
    }

    /**
     * Appends the batch's entries to the tree of {@code previousSize} leaves with {@code previousRoot}, adds the tile
     * hashes and a checkpoint signed by every key current before or after the batch to its {@code rows}, and returns the
     * new root.
     */
    byte[] extend(Handle handle, TreeDao tree, long previousSize, byte[] previousRoot, LogRows rows, List<NoteKey> keysBefore,
                  Instant now) {
        List<EntryEncoder.EncodedEntry> entries = rows.entries();
        JdbiTileStorage storage = new JdbiTileStorage(handle);
        byte[] expectedRoot = previousRoot == null ? TreeHash.empty() : previousRoot;
        if (edge == null || edge.size() != previousSize || !MessageDigest.isEqual(edgeRoot, expectedRoot)) {
            edge = TreeEdge.load(storage, previousSize);
            edgeRoot = edge.root();
            edgeKeys = null;
            if (!MessageDigest.isEqual(edgeRoot, expectedRoot)) {
                forget();
                throw new IllegalStateException("the stored tiles do not give the log head's root at size " + previousSize);
            }
        }
        for (EntryEncoder.EncodedEntry entry : entries) {
            edge.append(TreeHash.leaf(entry.entryBytes()));
        }
        edge.flush(rows.tileWrites());
        byte[] root = edge.root();
        edgeRoot = root;
        List<NoteKey> keysAfter = entries.stream().anyMatch(LogTree::changesKeys) ? LogKeys.current(tree) : keysBefore;
        List<LogSigner> signers = keys.signersFor(keysBefore, keysAfter);
        if (signers.isEmpty()) {
            throw new IllegalStateException("no log key is registered: the checkpoint cannot be signed");
        }
        SignedNote note = SignedNote.sign(new Checkpoint(origin, edge.size(), root).body(), signers);
        rows.checkpoint(edge.size(), note.text(), now);
        edgeKeys = keysAfter;
        return root;
    }

    private static boolean changesKeys(EntryEncoder.EncodedEntry entry) {
        LogAction action = entry.event().action();
        return action == LogAction.LOG_KEY_REGISTERED || action == LogAction.LOG_KEY_ROTATED;
    }

    /** Called when a batch did not commit: the edge may hold its entries. */
    void forget() {
        edge = null;
        edgeRoot = null;
        edgeKeys = null;
    }
}
