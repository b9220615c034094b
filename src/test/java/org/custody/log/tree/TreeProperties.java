package org.custody.log.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The tiled, stored-hash tree against the literal RFC 9162 recursion, for random sizes. */
class TreeProperties {
    private static List<byte[]> leaves(int size, long seed) {
        List<byte[]> leaves = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            leaves.add(TreeHash.leaf(ByteBuffer.allocate(16).putLong(seed).putLong(i).array()));
        }
        return leaves;
    }

    /** Appends in random batch sizes, flushing tiles after each batch, as the ledger does. */
    private static MemoryTiles stored(List<byte[]> leaves, int batch) {
        MemoryTiles tiles = new MemoryTiles();
        TreeEdge edge = TreeEdge.empty();
        for (int i = 0; i < leaves.size(); i++) {
            edge.append(leaves.get(i));
            if (i % batch == batch - 1) {
                edge.flush(tiles);
                edge = TreeEdge.load(tiles, i + 1);
            }
        }
        edge.flush(tiles);
        assertThat(edge.root()).isEqualTo(NaiveTree.mth(leaves));
        return tiles;
    }

    @Property(tries = 60)
    void rootsAndProofsFromStoredTilesEqualTheRecursiveDefinition(@ForAll @IntRange(min = 1, max = 1500) int size,
                                                                  @ForAll @IntRange(min = 1, max = 300) int batch,
                                                                  @ForAll long seed,
                                                                  @ForAll @IntRange(min = 0, max = 1499) int a,
                                                                  @ForAll @IntRange(min = 0, max = 1499) int b) {
        List<byte[]> leaves = leaves(size, seed);
        MemoryTiles tiles = stored(leaves, batch);
        MerkleTree tree = new MerkleTree(new TileHashSource(tiles));
        int treeSize = 1 + Math.max(a, b) % size;
        int index = Math.min(a, b) % treeSize;
        List<byte[]> prefix = leaves.subList(0, treeSize);
        assertThat(tree.root(treeSize)).isEqualTo(NaiveTree.mth(prefix));
        assertThat(tree.inclusionProof(index, treeSize)).containsExactlyElementsOf(NaiveTree.path(index, prefix));
        int first = Math.min(a, b) % (treeSize + 1);
        assertThat(tree.consistencyProof(first, treeSize)).containsExactlyElementsOf(NaiveTree.consistency(first, prefix));
        assertThat(TreeEdge.load(tiles, treeSize).root()).isEqualTo(NaiveTree.mth(prefix));
    }

    @Property(tries = 30)
    void proofsFromStoredTilesVerify(@ForAll @IntRange(min = 1, max = 2000) int size, @ForAll long seed,
                                     @ForAll @IntRange(min = 0, max = 1999) int a, @ForAll @IntRange(min = 0, max = 1999) int b) throws Exception {
        List<byte[]> leaves = leaves(size, seed);
        MerkleTree tree = new MerkleTree(new TileHashSource(stored(leaves, 97)));
        int index = a % size;
        int first = 1 + b % size;
        ProofVerifier.verifyInclusion(index, size, leaves.get(index), tree.inclusionProof(index, size), tree.root(size));
        ProofVerifier.verifyConsistency(first, size, tree.root(first), tree.root(size), tree.consistencyProof(first, size));
    }

    @net.jqwik.api.Example
    void treesThatNeedThreeTileLevelsMatchTheRecursiveDefinition() throws Exception {
        int size = 65_536 + 300;
        List<byte[]> leaves = leaves(size, 7);
        MemoryTiles tiles = stored(leaves, 1000);
        MerkleTree tree = new MerkleTree(new TileHashSource(tiles));
        assertThat(tiles.tiles).containsKey("2/0");
        for (int index : new int[] {0, 255, 256, 65_535, 65_536, size - 1}) {
            assertThat(tree.inclusionProof(index, size)).containsExactlyElementsOf(NaiveTree.path(index, leaves));
        }
        assertThat(tree.consistencyProof(65_536, size)).containsExactlyElementsOf(NaiveTree.consistency(65_536, leaves));
        for (long[] sizes : new long[][] {{70, 65_600}, {255, 256}, {1, size}, {65_535, 65_537}}) {
            java.util.Set<List<Long>> needed = TileHashSource.tilesNeeded(walk -> {
                walk.root(sizes[1]);
                walk.inclusionProof(sizes[0], sizes[1]);
                walk.consistencyProof(sizes[0], sizes[1]);
            });
            MerkleTree onlyNeeded = new MerkleTree(new TileHashSource(new TileStorage() {
                @Override
                public byte[] read(int tileLevel, long tileIndex) {
                    assertThat(needed).as("tile %d/%d was foreseen", tileLevel, tileIndex).contains(List.of((long) tileLevel, tileIndex));
                    return tiles.read(tileLevel, tileIndex);
                }

                @Override
                public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
                    throw new UnsupportedOperationException("proofs only read tiles");
                }
            }));
            assertThat(onlyNeeded.inclusionProof(sizes[0], sizes[1])).containsExactlyElementsOf(tree.inclusionProof(sizes[0], sizes[1]));
            assertThat(onlyNeeded.consistencyProof(sizes[0], sizes[1])).containsExactlyElementsOf(tree.consistencyProof(sizes[0], sizes[1]));
        }
        assertThat(tree.consistencyProof(300, 65_537)).containsExactlyElementsOf(NaiveTree.consistency(300, leaves.subList(0, 65_537)));
    }
}
