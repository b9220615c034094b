package org.custody.log.tree;

import java.util.HashMap;
import java.util.Map;

/** Tile storage in a map, for tests of the tree algorithms without a database. */
final class MemoryTiles implements TileStorage {
    final Map<String, byte[]> tiles = new HashMap<>();
    int reads;

    @Override
    public byte[] read(int tileLevel, long tileIndex) {
        reads++;
        return tiles.getOrDefault(tileLevel + "/" + tileIndex, new byte[0]).clone();
    }

    @Override
    public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
        byte[] previous = tiles.get(tileLevel + "/" + tileIndex);
        int stored = previous == null ? 0 : previous.length / TreeHash.SIZE;
        if (storedBefore != stored) {
            throw new IllegalStateException("tile " + tileLevel + "/" + tileIndex + ": told " + storedBefore + " hashes were stored, but " + stored + " were");
        }
        tiles.put(tileLevel + "/" + tileIndex, hashes.clone());
    }
}
