package org.custody.log;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.custody.common.InvalidInputException;
import org.custody.common.NotFoundException;
import org.custody.log.signing.KeyFiles;
import org.custody.log.signing.NoteKey;
import org.custody.log.tree.MerkleTree;
import org.custody.log.tree.TileHashSource;
import org.custody.log.tree.TilePath;
import org.custody.log.tree.TreeHash;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** What anyone may ask of the log to check it: checkpoints, keys and proofs, all from stored hashes. */
public final class LogProofs {
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final Jdbi jdbi;
    private final LogKeys keys;
    private final JdbiTileStorage.EdgeTiles edge = new JdbiTileStorage.EdgeTiles();

    public LogProofs(Jdbi jdbi, LogKeys keys) {
        this.jdbi = jdbi;
        this.keys = keys;
    }

    /** RFC 9162 §2.1.3 inclusion proof of one entry in the tree of {@code treeSize}, hashes bottom-up. */
    public record InclusionProof(long index, long treeSize, String leafHash, String root, List<String> proof) {}

    /** RFC 9162 §2.1.4 consistency proof from the tree of size {@code from} to the tree of size {@code to}. */
    public record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> proof) {}

    /** A log key, current or retired, in every form a checker may want. */
    public record KeyView(String name, String keyId, String verifierKey, String publicKeyPem, java.time.Instant validFrom,
                          java.time.Instant validUntil) {}

    public String latestCheckpoint() {
        return jdbi.withExtension(TreeDao.class, TreeDao::latestCheckpoint).orElseThrow(() -> new NotFoundException("Checkpoint"));
    }

    public String checkpoint(long size) {
        return jdbi.withExtension(TreeDao.class, tree -> tree.checkpoint(size)).orElseThrow(() -> new NotFoundException("Checkpoint"));
    }

    public InclusionProof inclusion(long index, long treeSize) {
        return jdbi.withHandle(handle -> {
            if (treeSize < 1 || index < 0 || index >= treeSize) {
                refuseTreeSize("treeSize", treeSize, size(handle));
                throw new InvalidInputException("index", "must be from 0 to treeSize - 1");
            }
            Set<List<Long>> tiles = TileHashSource.tilesNeeded(walk -> {
                walk.root(treeSize);
                walk.inclusionProof(index, treeSize);
            });
            long[] leafTile = TileHashSource.tileOf(0, index);
            tiles.add(List.of(leafTile[0], leafTile[1]));
            return prove(() -> read(handle, tiles, "treeSize", treeSize), treeSize, read -> inclusion(read, index, treeSize), InclusionProof::root);
        });
    }

    private static InclusionProof inclusion(JdbiTileStorage.Snapshot read, long index, long treeSize) {
        TileHashSource hashes = new TileHashSource(read.tiles());
        MerkleTree tree = new MerkleTree(hashes);
        return new InclusionProof(index, treeSize, B64.encodeToString(hashes.node(0, index)), B64.encodeToString(tree.root(treeSize)),
                encode(tree.inclusionProof(index, treeSize)));
    }

    public ConsistencyProof consistency(long from, long to) {
        return jdbi.withHandle(handle -> {
            if (to < 1 || from < 1 || from > to) {
                refuseTreeSize("to", to, size(handle));
                throw new InvalidInputException("from", "must be from 1 to 'to'");
            }
            Set<List<Long>> tiles = TileHashSource.tilesNeeded(walk -> {
                walk.root(from);
                walk.root(to);
                walk.consistencyProof(from, to);
            });
            return prove(() -> read(handle, tiles, "to", to), to, read -> consistency(read, from, to), ConsistencyProof::toRoot);
        });
    }

    private static ConsistencyProof consistency(JdbiTileStorage.Snapshot read, long from, long to) {
        MerkleTree tree = new MerkleTree(new TileHashSource(read.tiles()));
        return new ConsistencyProof(from, to, B64.encodeToString(tree.root(from)), B64.encodeToString(tree.root(to)),
                encode(tree.consistencyProof(from, to)));
    }

    /**
     * The hashes of a tile, as c2sp.org/tlog-tiles serves them: for anyone who would rather compute proofs with their own
     * tools than ask for ours. Stored hashes never change, so a tile the log holds today holds the same hashes tomorrow;
     * a tile beyond the log's size is not found.
     */
    public byte[] tile(TilePath tile) {
        return jdbi.withHandle(handle -> {
            // from the database alone, not through the edge the proofs remember: a proof against the newest tree is checked
            // against the head's root, which notices a log rewritten under the service, but a tile has nothing to check
            JdbiTileStorage.Snapshot read = JdbiTileStorage.prefetched(handle, Set.of(List.of((long) tile.level(), tile.index())),
                    new JdbiTileStorage.EdgeTiles());
            if (!tile.inTreeOf(read.logSize())) {
                throw new NotFoundException("Tile");
            }
            byte[] stored = read.tiles().read(tile.level(), tile.index());
            int length = tile.width() * TreeHash.SIZE;
            if (stored.length < length) {
                throw new IllegalStateException("tile " + tile.path() + " holds fewer hashes than the log's size asks for");
            }
            return Arrays.copyOf(stored, length);
        });
    }

    /** The tiles a proof in the tree of {@code treeSize} needs, once it is known to be a tree the log has. */
    private JdbiTileStorage.Snapshot read(Handle handle, Set<List<Long>> tiles, String parameter, long treeSize) {
        JdbiTileStorage.Snapshot read = JdbiTileStorage.prefetched(handle, tiles, edge);
        refuseTreeSize(parameter, treeSize, read.logSize());
        return read;
    }

    /**
     * Makes a proof from what the proofs remember of the log's edge and what the database holds. If the two do not fit
     * together (stored parts that do not join what was remembered, a tile shorter than remembered, or a proof against
     * the newest tree whose root is not the log's head, read in the same statement), the log's edge was rewritten under
     * the service (rolled back and grown again): what was remembered is dropped and the proof made again from the
     * database alone. A second failure is the database's own, and {@code verify-log} reports it.
     */
    private <P> P prove(Supplier<JdbiTileStorage.Snapshot> read, long treeSize, Function<JdbiTileStorage.Snapshot, P> proof,
                        Function<P, String> root) {
        JdbiTileStorage.Snapshot snapshot = read.get();
        try {
            P made = proof.apply(snapshot);
            if (treeSize != snapshot.logSize() || root.apply(made).equals(B64.encodeToString(snapshot.logRoot()))) {
                return made;
            }
        } catch (IllegalStateException doesNotFit) {
            // made again below, from the database alone
        }
        edge.forget();
        return proof.apply(read.get());
    }

    /** A proof is only for a tree the log has: from 1 entry to as many as it holds now. */
    private static void refuseTreeSize(String parameter, long treeSize, long logSize) {
        if (treeSize < 1 || treeSize > logSize) {
            throw new InvalidInputException(parameter, "must be from 1 to the log's size, " + logSize);
        }
    }

    /**
     * Proofs against the tree of {@code treeSize}, reading tiles through {@code handle} as they are needed and keeping them:
     * for many proofs in a row, as an export makes, where one query per proof would dominate.
     */
    public Prover prover(Handle handle, long treeSize) {
        TileHashSource tiles = new TileHashSource(new JdbiTileStorage(handle));
        // Proofs of neighbouring entries share most of their nodes: each is computed once (the most recent 65,536 kept).
        Map<Long, byte[]> computed = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > 65_536;
            }
        };
        return new Prover(new MerkleTree((level, index) -> level == 0 ? tiles.node(0, index)
                : computed.computeIfAbsent(index << 6 | level, key -> tiles.node(level, index))), treeSize);
    }

    /** Inclusion and consistency proofs in one tree, hashes in base64, bottom-up as in RFC 9162. */
    public static final class Prover {
        private final MerkleTree tree;
        private final long treeSize;

        private Prover(MerkleTree tree, long treeSize) {
            this.tree = tree;
            this.treeSize = treeSize;
        }

        /** RFC 9162 §2.1.3: the entry at {@code index} is in the tree. */
        public List<String> inclusion(long index) {
            return encode(tree.inclusionProof(index, treeSize));
        }

        /** RFC 9162 §2.1.4: the tree of {@code from} entries is a prefix of this tree. */
        public List<String> consistencyFrom(long from) {
            return encode(tree.consistencyProof(from, treeSize));
        }

        public String root(long size) {
            return B64.encodeToString(tree.root(size));
        }
    }

    public List<KeyView> keys() {
        return keys.history().stream().map(row -> {
            NoteKey key = row.noteKey();
            return new KeyView(key.name(), key.keyIdHex(), key.verifierKey(), KeyFiles.publicKeyPem(row.publicKey()), row.validFrom(), row.validUntil());
        }).toList();
    }

    private static long size(Handle handle) {
        return handle.createQuery("SELECT size FROM log_head WHERE id = 1").mapTo(Long.class).one();
    }

    private static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(B64::encodeToString).toList();
    }
}
