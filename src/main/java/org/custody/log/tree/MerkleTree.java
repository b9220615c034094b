package org.custody.log.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Roots and proofs of the RFC 9162 Merkle tree over any {@link HashSource}. Every subtree these algorithms need
 * is a run of complete aligned subtrees, so a proof for a tree of n leaves reads O(log n) stored hashes.
 */
public final class MerkleTree {
    private final HashSource hashes;

    public MerkleTree(HashSource hashes) {
        this.hashes = hashes;
    }

    /** MTH(D[0:size]), RFC 9162 §2.1.1. */
    public byte[] root(long size) {
        return size == 0 ? TreeHash.empty() : subtree(0, size);
    }

    /** PATH(m, D[n]), RFC 9162 §2.1.3.1: the inclusion proof of leaf {@code index} in the tree of {@code size}, bottom-up. */
    public List<byte[]> inclusionProof(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is not in a tree of size " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, proof);
        return proof;
    }

    /** PROOF(m, D[n]), RFC 9162 §2.1.4.1: shows that the tree of {@code size1} is a prefix of the tree of {@code size2}. */
    public List<byte[]> consistencyProof(long size1, long size2) {
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from size " + size1 + " to size " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 > 0 && size1 < size2) {
            subproof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    private void path(long m, long start, long n, List<byte[]> proof) {
        if (n == 1) {
            return;
        }
        long k = TreeHash.split(n);
        if (m < k) {
            path(m, start, k, proof);
            proof.add(subtree(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, proof);
            proof.add(subtree(start, k));
        }
    }

    private void subproof(long m, long start, long n, boolean startsTree, List<byte[]> proof) {
        if (m == n) {
            if (!startsTree) {
                proof.add(subtree(start, m));
            }
            return;
        }
        long k = TreeHash.split(n);
        if (m <= k) {
            subproof(m, start, k, startsTree, proof);
            proof.add(subtree(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, proof);
            proof.add(subtree(start, k));
        }
    }

    /** MTH(D[start:start+size]) where start is a multiple of the largest power of two not above size. */
    private byte[] subtree(long start, long size) {
        if (Long.bitCount(size) == 1) {
            int level = Long.numberOfTrailingZeros(size);
            return hashes.node(level, start >>> level);
        }
        long k = TreeHash.split(size);
        return TreeHash.node(subtree(start, k), subtree(start + k, size - k));
    }
}
