package org.custody.log.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers from RFC 6962's reference test data: the eight-leaf example tree. */
class MerkleTreeTest {
    static final HexFormat HEX = HexFormat.of();
    static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    static final String[] ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    static List<byte[]> leafHashes() {
        List<byte[]> hashes = new ArrayList<>();
        for (String leaf : LEAVES) hashes.add(TreeHash.leaf(HEX.parseHex(leaf)));
        return hashes;
    }

    @Test
    void rootsOfTheRfc6962ExampleTreeAtEverySize() {
        MemoryTiles tiles = new MemoryTiles();
        TreeEdge edge = TreeEdge.empty();
        for (int size = 1; size <= 8; size++) {
            edge.append(leafHashes().get(size - 1));
            edge.flush(tiles);
            assertThat(HEX.formatHex(edge.root())).as("edge root of size %d", size).isEqualTo(ROOTS[size - 1]);
            assertThat(HEX.formatHex(new MerkleTree(new TileHashSource(tiles)).root(size))).as("stored root of size %d", size).isEqualTo(ROOTS[size - 1]);
        }
        assertThat(HEX.formatHex(TreeHash.empty())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void proofsOfTheExampleTreeVerify() throws Exception {
        MerkleTree tree = new MerkleTree(NaiveTree.source(leafHashes()));
        for (int size = 1; size <= 8; size++) {
            byte[] root = HEX.parseHex(ROOTS[size - 1]);
            for (int index = 0; index < size; index++) {
                ProofVerifier.verifyInclusion(index, size, leafHashes().get(index), tree.inclusionProof(index, size), root);
            }
            for (int first = 1; first <= size; first++) {
                ProofVerifier.verifyConsistency(first, size, HEX.parseHex(ROOTS[first - 1]), root, tree.consistencyProof(first, size));
            }
        }
    }

    @Test
    void aProofForAnotherLeafOrRootIsRejectedWithTheReason() {
        MerkleTree tree = new MerkleTree(NaiveTree.source(leafHashes()));
        byte[] root = HEX.parseHex(ROOTS[7]);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(3, 8, leafHashes().get(2), tree.inclusionProof(3, 8), root))
                .isInstanceOf(ProofException.class).hasMessage("inclusion proof leads to a different root");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(8, 8, leafHashes().get(2), List.of(), root))
                .isInstanceOf(ProofException.class).hasMessage("leaf index 8 is outside a tree of size 8");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 8, HEX.parseHex(ROOTS[3]), root, tree.consistencyProof(3, 8)))
                .isInstanceOf(ProofException.class).hasMessage("consistency proof does not lead to the first root");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 8, HEX.parseHex(ROOTS[2]), HEX.parseHex(ROOTS[6]), tree.consistencyProof(3, 8)))
                .isInstanceOf(ProofException.class).hasMessage("consistency proof does not lead to the second root");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 8, HEX.parseHex(ROOTS[2]), root, List.of()))
                .isInstanceOf(ProofException.class).hasMessage("consistency proof is empty");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(8, 3, root, root, List.of()))
                .isInstanceOf(ProofException.class).hasMessage("first size 8 is larger than second size 3");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, new byte[31], List.of(), root))
                .isInstanceOf(ProofException.class).hasMessage("leaf hash is not a 32-byte SHA-256 hash");
    }
}
