package org.custody.log;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.custody.common.DatabaseKind;
import org.custody.log.tree.TileStorage;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Tiles in the database, read and written inside the caller's transaction. A full tile is one row of
 * {@code log_tile}, written once. An unfinished tile is the rows of {@code log_tile_part} that the batches so far
 * added, one per batch with only its new hashes, so that a batch never rewrites the hashes before it; when the tile
 * fills up it goes to {@code log_tile} and its parts are deleted. Plain statements on the handle rather than a
 * SqlObject: proofs read a few tiles per request, and attaching a SqlObject to a fresh handle would cost more.
 */
final class JdbiTileStorage implements TileStorage {
    private static final int FULL = WIDTH * TreeHash.SIZE;
    private static final String HEAD = "SELECT -1 AS tile_level, size AS tile_index, -1 AS first_hash, root AS hashes FROM log_head WHERE id = 1";

    private final Handle handle;

    JdbiTileStorage(Handle handle) {
        this.handle = handle;
    }

    /** Reads one tile as this handle's transaction sees it, the writer's own unfinished batch included. */
    @Override
    public byte[] read(int tileLevel, long tileIndex) {
        return select(handle, Set.of(List.of((long) tileLevel, tileIndex)), new EdgeTiles(), false).tiles().read(tileLevel, tileIndex);
    }

    /** Tiles read for proofs, and the log's size and root, all as one statement saw the log. */
    record Snapshot(long logSize, byte[] logRoot, TileStorage tiles) {}

    /**
     * Reads the given tiles, full or in parts, and the log's size and root, in one query, for proofs that know in advance which
     * tiles they need (the size tells whether the tree they are asked for exists; one statement is one round trip, and
     * one snapshot). Of an unfinished tile whose first hashes {@code edge} already knows, only the parts after those are
     * read; what is read adds to {@code edge}, so it must be a committed state of the log (never the writer's own batch).
     */
    static Snapshot prefetched(Handle handle, Set<List<Long>> tiles, EdgeTiles edge) {
        return select(handle, tiles, edge, true);
    }

    private static Snapshot select(Handle handle, Set<List<Long>> tiles, EdgeTiles edge, boolean withHead) {
        Map<List<Long>, byte[]> known = new HashMap<>();
        for (List<Long> tile : tiles) {
            byte[] hashes = edge.known(tile.get(0).intValue(), tile.get(1));
            if (hashes.length > 0) {
                known.put(tile, hashes);
            }
        }
        Map<List<Long>, byte[]> full = new HashMap<>();
        Map<List<Long>, Parts> partial = new HashMap<>();
        long[] logSize = {-1};
        byte[][] logRoot = {null};
        if (withHead || !tiles.isEmpty()) {
            Query query = unionQuery(handle, tiles, known, withHead);
            query.map((rs, ctx) -> {
                if (rs.getInt(1) < 0) {
                    logSize[0] = rs.getLong(2);
                    logRoot[0] = rs.getBytes(4);
                    return null;
                }
                List<Long> tile = List.of((long) rs.getInt(1), rs.getLong(2));
                if (rs.getInt(3) < 0) {
                    full.put(tile, rs.getBytes(4));
                } else {
                    partial.computeIfAbsent(tile, key -> new Parts(known.getOrDefault(key, new byte[0]))).add(rs.getInt(3), rs.getBytes(4));
                }
                return null;
            }).list();
        }
        if (withHead && logSize[0] < 0) {
            throw new IllegalStateException("the log has no head row");
        }
        return new Snapshot(logSize[0], logRoot[0], new TileStorage() {
            @Override
            public byte[] read(int tileLevel, long tileIndex) {
                List<Long> tile = List.of((long) tileLevel, tileIndex);
                if (full.containsKey(tile)) {
                    return full.get(tile);
                }
                Parts parts = partial.get(tile);
                if (parts == null) {
                    return known.getOrDefault(tile, new byte[0]);
                }
                byte[] hashes = parts.joined(tileLevel, tileIndex);
                edge.learned(tileLevel, tileIndex, hashes);
                return hashes;
            }

            @Override
            public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
                throw new UnsupportedOperationException("prefetched tiles are read-only");
            }
        });
    }

    /**
     * One point lookup per tile in each table, joined with UNION ALL: every branch uses the primary key (H2 answers an OR
     * of key conditions with a scan of the whole table). The head's row, if asked for, comes first, as tile level -1 with
     * the size in place of a tile index. The union goes inside an outer SELECT: H2 keeps a parsed and planned statement
     * for the next execution only when it is a plain SELECT, never a UNION, and planning the union cost about a third of
     * an H2 proof.
     * <p>The statement's text depends only on how many tiles it reads: every parts' branch names a first hash, 0 where
     * nothing of the tile is known yet. With the condition only where something was known, the texts also differed by
     * which of the tiles the edge knew: random proofs in a million entries used 16 texts, most of them rare, and a
     * connection parses and plans a new text several times before it keeps a plan, so a restarted service planned about
     * 2 % of its proofs' statements (journal, "One statement text for any edge"). Now they use four.
     * <p>On PostgreSQL each value is a sub-select, {@code (SELECT :i0)}, which its planner does not look into.
     * PostgreSQL keeps a prepared statement's plan only while that plan's estimated cost is no worse than that of the
     * plans it makes for the values at hand, and for the parts' table, which holds few keys, the two estimates differed
     * by more than making a plan is worth: from the tables' first ANALYZE on, it planned the union afresh at every
     * proof, which took more of its CPU than running it (journal, "PostgreSQL planned every proof"). Values it cannot
     * see are estimated alike for both kinds of plan, so the kept one is used.
     */
    private static Query unionQuery(Handle handle, Set<List<Long>> tiles, Map<List<Long>, byte[]> known, boolean withHead) {
        Query query = handle.createQuery(unionSql(tiles.size(), withHead, DatabaseKind.of(handle)));
        int i = 0;
        for (List<Long> tile : tiles) {
            query.bind("l" + i, tile.get(0).intValue()).bind("i" + i, tile.get(1).longValue())
                    .bind("k" + i, known.getOrDefault(tile, new byte[0]).length / TreeHash.SIZE);
            i++;
        }
        return query;
    }

    /** The text of the statement that reads {@code tiles} tiles (and the head's row when {@code withHead}). */
    private static String unionSql(int tiles, boolean withHead, DatabaseKind database) {
        Function<String, String> value = database == DatabaseKind.POSTGRESQL ? name -> "(SELECT :" + name + ")" : name -> ":" + name;
        StringBuilder sql = new StringBuilder(withHead ? HEAD : "");
        for (int i = 0; i < tiles; i++) {
            String key = "tile_level = " + value.apply("l" + i) + " AND tile_index = " + value.apply("i" + i);
            sql.append(sql.isEmpty() ? "" : " UNION ALL ")
                    .append("SELECT tile_level, tile_index, -1 AS first_hash, hashes FROM log_tile WHERE ").append(key)
                    .append(" UNION ALL SELECT tile_level, tile_index, first_hash, hashes FROM log_tile_part WHERE ").append(key)
                    .append(" AND first_hash >= ").append(value.apply("k" + i));
        }
        return "SELECT tile_level, tile_index, first_hash, hashes FROM (" + sql + ") AS tiles ORDER BY tile_level, tile_index, first_hash";
    }

    /**
     * What proofs have read so far of the unfinished tile at the right edge of each tile level. Stored hashes never
     * change (the tables refuse updates, and a tile only ever grows until it is stored whole), so a tile's first hashes,
     * once read, stay true, and a proof asks the database only for the parts after them. Without this, every proof read
     * every part of every edge tile: up to 255 rows a level for a log written a few entries at a time. One tile a level
     * is kept, the highest read; the tiles before it at that level are full and read as one row. It lives as long as
     * the service: a database replaced by a restore is only ever taken up by a service started again, and a log rewritten
     * under the service is caught by {@code LogProofs}, which then calls {@link #forget}.
     */
    static final class EdgeTiles {
        private record Known(long tileIndex, byte[] hashes) {}

        private final AtomicReferenceArray<Known> byLevel = new AtomicReferenceArray<>(TileStorage.LEVELS);

        /** The first hashes of the tile known so far, none if it is not the edge tile last read at its level. */
        byte[] known(int tileLevel, long tileIndex) {
            Known known = byLevel.get(tileLevel);
            return known != null && known.tileIndex() == tileIndex ? known.hashes() : new byte[0];
        }

        /** Drops everything remembered: the log's edge is not what it was. */
        void forget() {
            for (int level = 0; level < byLevel.length(); level++) {
                byLevel.set(level, null);
            }
        }

        /** Remembers the tile's hashes as read in a committed state of the log, unless more is known already. */
        void learned(int tileLevel, long tileIndex, byte[] hashes) {
            Known read = new Known(tileIndex, hashes);
            byLevel.accumulateAndGet(tileLevel, read, (known, fresh) -> known == null || fresh.tileIndex() > known.tileIndex()
                    || fresh.tileIndex() == known.tileIndex() && fresh.hashes().length > known.hashes().length ? fresh : known);
        }
    }

    /** The parts of an unfinished tile in order after the hashes known before; each must begin where the one before it ended. */
    private static final class Parts {
        private final ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        private boolean gap;

        Parts(byte[] known) {
            hashes.write(known, 0, known.length);
        }

        void add(int firstHash, byte[] part) {
            gap |= firstHash * TreeHash.SIZE != hashes.size();
            hashes.write(part, 0, part.length);
        }

        byte[] joined(int tileLevel, long tileIndex) {
            if (gap) {
                throw new IllegalStateException("the stored parts of tile " + tileLevel + "/" + tileIndex + " do not join up");
            }
            return hashes.toByteArray();
        }
    }

    @Override
    public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
        if (isFull(hashes)) {
            handle.createUpdate("INSERT INTO log_tile (tile_level, tile_index, hashes) VALUES (:level, :index, :hashes)")
                    .bind("level", tileLevel).bind("index", tileIndex).bind("hashes", hashes).execute();
            if (storedBefore > 0) {
                handle.createUpdate("DELETE FROM log_tile_part WHERE tile_level = :level AND tile_index = :index")
                        .bind("level", tileLevel).bind("index", tileIndex).execute();
            }
        } else {
            handle.createUpdate("INSERT INTO log_tile_part (tile_level, tile_index, first_hash, hashes) VALUES (:level, :index, :first, :hashes)")
                    .bind("level", tileLevel).bind("index", tileIndex).bind("first", storedBefore)
                    .bind("hashes", newHashes(hashes, storedBefore)).execute();
        }
    }

    /** Whether a tile's hashes fill it: it then goes to {@code log_tile} whole, and its parts go. */
    static boolean isFull(byte[] hashes) {
        return hashes.length == FULL;
    }

    /** What a part adds to its tile: the hashes after the first {@code storedBefore}. */
    static byte[] newHashes(byte[] hashes, int storedBefore) {
        return Arrays.copyOfRange(hashes, storedBefore * TreeHash.SIZE, hashes.length);
    }
}
