package org.custody.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.log.tree.TileStorage;
import org.jdbi.v3.core.Handle;

/**
 * The log rows one ledger batch adds, gathered while the batch is built and written together at its end: the
 * entries with their payloads and case links, the tile hashes they add, the signed checkpoint and the head's move.
 * On PostgreSQL every row but a finished tile's goes to the server in one statement ({@link BatchStatements#appendAll}),
 * because each statement is a round trip that every submitter of the batch waits for; H2 runs inside the process, so
 * there each table keeps its own plain statement.
 */
final class LogRows {
    private final List<EntryEncoder.EncodedEntry> entries;
    private final List<TileWrite> tiles = new ArrayList<>();
    private Checkpoint checkpoint;

    /** A tile's hashes so far; the first {@code storedBefore} of them are stored already. */
    record TileWrite(int level, long index, byte[] hashes, int storedBefore) {
        boolean full() {
            return JdbiTileStorage.isFull(hashes);
        }

        void writeTo(TileStorage storage) {
            storage.write(level, index, hashes, storedBefore);
        }
    }

    record Checkpoint(long size, String note, Instant signedAt) {}

    LogRows(List<EntryEncoder.EncodedEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<EntryEncoder.EncodedEntry> entries() {
        return entries;
    }

    List<TileWrite> tiles() {
        return tiles;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    /** Where the tree's edge flushes the batch's hashes to: they are kept here until {@link #write}. */
    TileStorage tileWrites() {
        return new TileStorage() {
            @Override
            public byte[] read(int tileLevel, long tileIndex) {
                throw new UnsupportedOperationException("a batch's tile writes are not read back");
            }

            @Override
            public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
                tiles.add(new TileWrite(tileLevel, tileIndex, hashes, storedBefore));
            }
        };
    }

    void checkpoint(long size, String note, Instant signedAt) {
        checkpoint = new Checkpoint(size, note, signedAt);
    }

    /**
     * Writes every row and moves the head from {@code previousSize} to the new size and root, failing (and with it the
     * batch) if the head is no longer at {@code previousSize}.
     */
    void write(Handle handle, boolean postgres, long previousSize, byte[] root) {
        if (checkpoint == null) {
            throw new IllegalStateException("a batch's log rows are written only with their checkpoint");
        }
        long size = previousSize + entries.size();
        JdbiTileStorage storage = new JdbiTileStorage(handle);
        if (postgres) {
            // a finished tile's insert must precede the deletion of its parts (a trigger checks it), and the parts of one
            // WITH statement run in no set order; a tile fills once every 256 entries at the lowest level
            tiles.stream().filter(TileWrite::full).forEach(tile -> tile.writeTo(storage));
            BatchStatements.appendAll(handle, this, previousSize, size, root);
            return;
        }
        BatchStatements.insertEntries(handle, entries);
        BatchStatements.insertPayloads(handle, entries);
        BatchStatements.insertCaseLinks(handle, entries);
        tiles.forEach(tile -> tile.writeTo(storage));
        BatchStatements.insertCheckpoint(handle, checkpoint.size(), checkpoint.note(), checkpoint.signedAt());
        BatchStatements.advanceHead(handle, previousSize, size, root);
    }
}
