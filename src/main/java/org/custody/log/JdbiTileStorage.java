package org.custody.log;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.log.tree.TileStorage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Tiles in the {@code log_tile} table, read and written inside the caller's transaction. Plain statements on the
 * handle rather than a SqlObject: proofs read a few tiles per request, and attaching a SqlObject to a fresh handle
 * would cost more than the reads.
 */
final class JdbiTileStorage implements TileStorage {
    private final Handle handle;

    JdbiTileStorage(Handle handle) {
        this.handle = handle;
    }

    @Override
    public byte[] read(int tileLevel, long tileIndex) {
        return handle.createQuery("SELECT hashes FROM log_tile WHERE tile_level = :level AND tile_index = :index")
                .bind("level", tileLevel).bind("index", tileIndex).mapTo(byte[].class).findOne().orElse(new byte[0]);
    }

    /** Reads the given tiles in one query, for proofs that know in advance which tiles they need. */
    static TileStorage prefetched(Handle handle, Set<List<Long>> tiles) {
        Map<List<Long>, byte[]> found = new HashMap<>();
        if (!tiles.isEmpty()) {
            StringBuilder sql = new StringBuilder("SELECT tile_level, tile_index, hashes FROM log_tile WHERE ");
            int i = 0;
            for (List<Long> ignored : tiles) {
                sql.append(i == 0 ? "" : " OR ").append("(tile_level = :l").append(i).append(" AND tile_index = :i").append(i).append(')');
                i++;
            }
            Query query = handle.createQuery(sql.toString());
            i = 0;
            for (List<Long> tile : tiles) {
                query.bind("l" + i, tile.get(0).intValue()).bind("i" + i, tile.get(1).longValue());
                i++;
            }
            query.map((rs, ctx) -> {
                found.put(List.of((long) rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
                return null;
            }).list();
        }
        return new TileStorage() {
            @Override
            public byte[] read(int tileLevel, long tileIndex) {
                return found.getOrDefault(List.of((long) tileLevel, tileIndex), new byte[0]);
            }

            @Override
            public void write(int tileLevel, long tileIndex, byte[] hashes, boolean existed) {
                throw new UnsupportedOperationException("prefetched tiles are read-only");
            }
        };
    }

    @Override
    public void write(int tileLevel, long tileIndex, byte[] hashes, boolean existed) {
        if (existed) {
            // The WHERE clause keeps a tile from ever shrinking; the database's trigger checks that it only grows.
            int updated = handle.createUpdate("""
                    UPDATE log_tile SET hashes = :hashes
                    WHERE tile_level = :level AND tile_index = :index AND OCTET_LENGTH(hashes) < OCTET_LENGTH(:hashes)""")
                    .bind("level", tileLevel).bind("index", tileIndex).bind("hashes", hashes).execute();
            if (updated != 1) {
                throw new IllegalStateException("tile " + tileLevel + "/" + tileIndex + " was not extended");
            }
        } else {
            handle.createUpdate("INSERT INTO log_tile (tile_level, tile_index, hashes) VALUES (:level, :index, :hashes)")
                    .bind("level", tileLevel).bind("index", tileIndex).bind("hashes", hashes).execute();
        }
    }
}
