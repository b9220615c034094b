package org.custody.audit;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.custody.log.tree.TileStorage;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Handle;

/** The tiles of the tree verify-log rebuilds from the stored entries, in memory, and their check against the stored tiles. */
final class RebuiltTiles implements TileStorage {
    private final Map<String, byte[]> tiles = new HashMap<>();

    @Override
    public byte[] read(int tileLevel, long tileIndex) {
        return tiles.getOrDefault(tileLevel + "/" + tileIndex, new byte[0]);
    }

    @Override
    public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
        tiles.put(tileLevel + "/" + tileIndex, hashes);
    }

    /** Compares the stored tiles (full ones, and the parts of unfinished ones joined up) with these. */
    void checkAgainstStored(Handle on, Findings into) {
        int before = into.problems().size();
        Map<String, ByteArrayOutputStream> stored = new LinkedHashMap<>();
        Set<String> full = new HashSet<>();
        on.createQuery("""
                SELECT tile_level, tile_index, -1 AS first_hash, hashes FROM log_tile
                UNION ALL SELECT tile_level, tile_index, first_hash, hashes FROM log_tile_part
                ORDER BY tile_level, tile_index, first_hash""").setFetchSize(1_000).map((rs, ctx) -> {
            String tile = rs.getInt(1) + "/" + rs.getLong(2);
            int firstHash = rs.getInt(3);
            byte[] hashes = rs.getBytes(4);
            ByteArrayOutputStream joined = stored.computeIfAbsent(tile, key -> new ByteArrayOutputStream());
            if (firstHash < 0) {
                full.add(tile);
            } else if (full.contains(tile)) {
                into.problem("tile " + tile + ": stored in full, yet parts of it remain");
                return null;
            } else if (firstHash * TreeHash.SIZE != joined.size()) {
                into.problem("tile " + tile + ": its stored parts do not join up (a part begins at hash " + firstHash + ", expected "
                        + joined.size() / TreeHash.SIZE + ")");
            }
            joined.write(hashes, 0, hashes.length);
            return null;
        }).forEach(ignored -> { });
        Map<String, byte[]> expected = new HashMap<>(tiles);
        stored.forEach((tile, hashes) -> {
            byte[] recomputed = expected.remove(tile);
            if (recomputed == null) {
                into.problem("tile " + tile + ": stored, but the entries do not reach it");
            } else if (!MessageDigest.isEqual(recomputed, hashes.toByteArray())) {
                into.problem("tile " + tile + ": stored hashes differ from the hashes of the stored entries");
            }
        });
        expected.keySet().forEach(tile -> into.problem("tile " + tile + ": missing"));
        if (into.problems().size() == before) {
            into.pass("stored tree: " + tiles.size() + " tiles match the entries");
        }
    }
}
