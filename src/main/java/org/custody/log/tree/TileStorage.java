package org.custody.log.tree;

/**
 * Stored tiles in the sense of c2sp.org/tlog-tiles: the tile at tile level L and index t holds up to 256
 * consecutive hashes of tree level 8·L (hashes 256·t to 256·t+255), concatenated. A tile grows until it is
 * full and then never changes.
 */
public interface TileStorage {
    int HEIGHT = 8;
    int WIDTH = 1 << HEIGHT;
    /** Tile levels of a tree of up to 2^64 leaves. */
    int LEVELS = 8;

    /** The stored hashes of a tile, concatenated, or an empty array when it has none yet. */
    byte[] read(int tileLevel, long tileIndex);

    /**
     * Stores a tile's hashes, all of them so far; the first {@code storedBefore} of them were stored before (0 for a
     * tile not stored yet), so a store may keep only what is new.
     */
    void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore);
}
