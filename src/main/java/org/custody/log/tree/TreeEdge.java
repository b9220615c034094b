package org.custody.log.tree;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The right edge of the tree, in memory: the unfinished tile at each tile level. It is all that appending and
 * computing the root need, so appends never read old hashes. Appended hashes are written back to the tile
 * storage with {@link #flush}, in the same transaction as the entries.
 */
public final class TreeEdge {
    private long size;
    private final List<ByteArrayOutputStream> partial = new ArrayList<>();
    private final Map<Long, Dirty> dirty = new LinkedHashMap<>();
    private final Map<Long, byte[]> completed = new LinkedHashMap<>();
    /**
     * The roots of the complete subtrees that make up the tree, largest first (one per set bit of the size, a
     * "compact range"): appending merges equal neighbours, and the root folds at most 64 of them.
     */
    private final ArrayList<byte[]> rangeHashes = new ArrayList<>();
    private final ArrayList<Integer> rangeLevels = new ArrayList<>();

    private record Dirty(int level, long index, int storedBefore) {}

    private TreeEdge(long size) {
        this.size = size;
    }

    public static TreeEdge empty() {
        return new TreeEdge(0);
    }

    /** Rebuilds the edge of a tree of {@code size} leaves from its stored tiles (at most one tile per level). */
    public static TreeEdge load(TileStorage storage, long size) {
        TreeEdge edge = new TreeEdge(size);
        for (int level = 0; level < TileStorage.LEVELS; level++) {
            long hashesAtLevel = size >>> (TileStorage.HEIGHT * level);
            int width = (int) (hashesAtLevel & (TileStorage.WIDTH - 1));
            ByteArrayOutputStream tile = new ByteArrayOutputStream(TileStorage.WIDTH * TreeHash.SIZE);
            if (width > 0) {
                byte[] stored = storage.read(level, hashesAtLevel >>> TileStorage.HEIGHT);
                if (stored.length < width * TreeHash.SIZE) {
                    throw new IllegalStateException("stored tile " + level + "/" + (hashesAtLevel >>> TileStorage.HEIGHT)
                            + " has " + stored.length / TreeHash.SIZE + " hashes, the log head needs " + width);
                }
                tile.write(stored, 0, width * TreeHash.SIZE);
            }
            edge.partial.add(tile);
        }
        for (int level = 63; level >= 0; level--) {
            if (((size >>> level) & 1) == 1) {
                edge.rangeHashes.add(edge.partialSubtree(level));
                edge.rangeLevels.add(level);
            }
        }
        return edge;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash; full tiles carry their root up to the next tile level. */
    public void append(byte[] leafHash) {
        if (partial.isEmpty()) {
            for (int level = 0; level < TileStorage.LEVELS; level++) {
                partial.add(new ByteArrayOutputStream(TileStorage.WIDTH * TreeHash.SIZE));
            }
        }
        byte[] merged = leafHash;
        int mergedLevel = 0;
        while (!rangeLevels.isEmpty() && rangeLevels.get(rangeLevels.size() - 1) == mergedLevel) {
            rangeLevels.remove(rangeLevels.size() - 1);
            merged = TreeHash.node(rangeHashes.remove(rangeHashes.size() - 1), merged);
            mergedLevel++;
        }
        rangeHashes.add(merged);
        rangeLevels.add(mergedLevel);

        byte[] hash = leafHash;
        for (int level = 0; level < TileStorage.LEVELS; level++) {
            ByteArrayOutputStream tile = partial.get(level);
            long tileIndex = (size >>> (TileStorage.HEIGHT * level)) >>> TileStorage.HEIGHT;
            dirty.putIfAbsent(tileIndex * TileStorage.LEVELS + level, new Dirty(level, tileIndex, tile.size() / TreeHash.SIZE));
            tile.write(hash, 0, TreeHash.SIZE);
            if (tile.size() < TileStorage.WIDTH * TreeHash.SIZE) {
                break;
            }
            byte[] full = tile.toByteArray();
            completed.put(tileIndex * TileStorage.LEVELS + level, full);
            tile.reset();
            hash = Tiles.subtreeRoot(full, 0, TileStorage.WIDTH);
        }
        size++;
    }

    /** MTH of the whole tree: the compact range's subtree roots folded from the right. */
    public byte[] root() {
        if (size == 0) {
            return TreeHash.empty();
        }
        byte[] root = rangeHashes.get(rangeHashes.size() - 1);
        for (int i = rangeHashes.size() - 2; i >= 0; i--) {
            root = TreeHash.node(rangeHashes.get(i), root);
        }
        return root;
    }

    /** The root of the rightmost complete subtree of 2^level leaves, from the unfinished tile that holds it. */
    private byte[] partialSubtree(int level) {
        int tileLevel = level / TileStorage.HEIGHT;
        int height = level % TileStorage.HEIGHT;
        byte[] tile = partial.get(tileLevel).toByteArray();
        int width = tile.length / TreeHash.SIZE;
        int offset = (width >>> (height + 1)) << (height + 1);
        return Tiles.subtreeRoot(tile, offset, 1 << height);
    }

    /** Writes every tile touched since the last flush. */
    public void flush(TileStorage storage) {
        for (Dirty tile : dirty.values()) {
            long key = tile.index() * TileStorage.LEVELS + tile.level();
            byte[] hashes = completed.containsKey(key) ? completed.get(key) : partial.get(tile.level()).toByteArray();
            storage.write(tile.level(), tile.index(), hashes, tile.storedBefore());
        }
        dirty.clear();
        completed.clear();
    }
}
