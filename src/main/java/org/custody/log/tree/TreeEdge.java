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
    private static final int MAX_TILE_LEVELS = 8;

    private long size;
    private final List<ByteArrayOutputStream> partial = new ArrayList<>();
    private final Map<Long, Dirty> dirty = new LinkedHashMap<>();
    private final Map<Long, byte[]> completed = new LinkedHashMap<>();

    private record Dirty(int level, long index, boolean existed) {}

    private TreeEdge(long size) {
        this.size = size;
    }

    public static TreeEdge empty() {
        return new TreeEdge(0);
    }

    /** Rebuilds the edge of a tree of {@code size} leaves from its stored tiles (at most one tile per level). */
    public static TreeEdge load(TileStorage storage, long size) {
        TreeEdge edge = new TreeEdge(size);
        for (int level = 0; level < MAX_TILE_LEVELS; level++) {
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
        return edge;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash; full tiles carry their root up to the next tile level. */
    public void append(byte[] leafHash) {
        if (partial.isEmpty()) {
            for (int level = 0; level < MAX_TILE_LEVELS; level++) {
                partial.add(new ByteArrayOutputStream(TileStorage.WIDTH * TreeHash.SIZE));
            }
        }
        byte[] hash = leafHash;
        for (int level = 0; level < MAX_TILE_LEVELS; level++) {
            ByteArrayOutputStream tile = partial.get(level);
            long tileIndex = (size >>> (TileStorage.HEIGHT * level)) >>> TileStorage.HEIGHT;
            boolean existed = tile.size() > 0;
            dirty.putIfAbsent(tileIndex * MAX_TILE_LEVELS + level, new Dirty(level, tileIndex, existed));
            tile.write(hash, 0, TreeHash.SIZE);
            if (tile.size() < TileStorage.WIDTH * TreeHash.SIZE) {
                break;
            }
            byte[] full = tile.toByteArray();
            completed.put(tileIndex * MAX_TILE_LEVELS + level, full);
            tile.reset();
            hash = Tiles.subtreeRoot(full, 0, TileStorage.WIDTH);
        }
        size++;
    }

    /** MTH of the whole tree: the complete subtrees of the binary decomposition of the size, combined right to left. */
    public byte[] root() {
        if (size == 0) {
            return TreeHash.empty();
        }
        byte[] root = null;
        for (int level = 0; level < 64; level++) {
            if (((size >>> level) & 1) == 0) {
                continue;
            }
            int tileLevel = level / TileStorage.HEIGHT;
            int height = level % TileStorage.HEIGHT;
            byte[] tile = partial.get(tileLevel).toByteArray();
            int count = 1 << height;
            int width = tile.length / TreeHash.SIZE;
            int offset = (width >>> (height + 1)) << (height + 1);
            byte[] subtree = Tiles.subtreeRoot(tile, offset, count);
            root = root == null ? subtree : TreeHash.node(subtree, root);
        }
        return root;
    }

    /** Writes every tile touched since the last flush. */
    public void flush(TileStorage storage) {
        for (Dirty tile : dirty.values()) {
            long key = tile.index() * MAX_TILE_LEVELS + tile.level();
            byte[] hashes = completed.containsKey(key) ? completed.get(key) : partial.get(tile.level()).toByteArray();
            storage.write(tile.level(), tile.index(), hashes, tile.existed());
        }
        dirty.clear();
        completed.clear();
    }
}
