package org.custody.log.tree;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers {@link HashSource#node} from stored tiles: a node at tree level 8·L + h is computed from 2^h hashes
 * of one tile at tile level L, so any node costs one tile read and fewer than 256 hash operations. Tiles read
 * are kept for the life of this object (one proof, or one export's proofs), up to a bound.
 */
public final class TileHashSource implements HashSource {
    private final TileStorage storage;
    /** Tiles read so far, the least recently used dropped beyond 1,024 (8 MiB) so that a long run of proofs stays small. */
    private final Map<Long, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > 1_024;
        }
    };

    public TileHashSource(TileStorage storage) {
        this.storage = storage;
    }

    /** The tile (tile level, tile index) that holds the hashes node (level, index) is computed from. */
    public static long[] tileOf(int level, long index) {
        int height = level % TileStorage.HEIGHT;
        return new long[] {level / TileStorage.HEIGHT, (index << height) >>> TileStorage.HEIGHT};
    }

    /**
     * The tiles that {@code walk} will read, found by running it over placeholder hashes: which nodes a root or proof
     * needs depends only on the sizes and indexes, never on hash values, so they can all be read in one query.
     */
    public static Set<List<Long>> tilesNeeded(Consumer<MerkleTree> walk) {
        Set<List<Long>> tiles = new LinkedHashSet<>();
        byte[] placeholder = new byte[TreeHash.SIZE];
        walk.accept(new MerkleTree((level, index) -> {
            long[] tile = tileOf(level, index);
            tiles.add(List.of(tile[0], tile[1]));
            return placeholder;
        }));
        return tiles;
    }

    @Override
    public byte[] node(int level, long index) {
        int tileLevel = level / TileStorage.HEIGHT;
        int height = level % TileStorage.HEIGHT;
        long first = index << height;
        long tileIndex = first >>> TileStorage.HEIGHT;
        int offset = (int) (first & (TileStorage.WIDTH - 1));
        byte[] tile = cache.computeIfAbsent(tileIndex * TileStorage.LEVELS + tileLevel, key -> storage.read(tileLevel, tileIndex));
        int count = 1 << height;
        if ((offset + count) * TreeHash.SIZE > tile.length) {
            throw new IllegalStateException("tile " + tileLevel + "/" + tileIndex + " holds " + tile.length / TreeHash.SIZE
                    + " hashes; node " + level + "/" + index + " needs " + (offset + count));
        }
        return Tiles.subtreeRoot(tile, offset, count);
    }
}
