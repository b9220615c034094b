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
    public void write(int tileLevel, long tileIndex, byte[] hashes, boolean existed) {
        byte[] previous = tiles.get(tileLevel + "/" + tileIndex);
        if (existed != (previous != null)) {
            throw new IllegalStateException("tile " + tileLevel + "/" + tileIndex + " existed=" + existed + " but stored=" + (previous != null));
        }
        tiles.put(tileLevel + "/" + tileIndex, hashes.clone());
    }
}
