package org.custody.log.tree;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Verification of inclusion and consistency proofs exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 describe it. */
public final class ProofVerifier {
    private ProofVerifier() {}

    /** RFC 9162 §2.1.3.2: is the leaf with this hash at {@code leafIndex} of the tree with this root? */
    public static void verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) throws ProofException {
        requireHash(leafHash, "leaf hash");
        requireHash(root, "root");
        requireHashes(proof);
        if (leafIndex < 0 || treeSize <= 0 || leafIndex >= treeSize) {
            throw new ProofException("leaf index " + Long.toUnsignedString(leafIndex) + " is outside a tree of size " + Long.toUnsignedString(treeSize));
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofException("inclusion proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = TreeHash.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = TreeHash.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("inclusion proof is shorter than the tree is deep");
        }
        if (!MessageDigest.isEqual(r, root)) {
            throw new ProofException("inclusion proof leads to a different root");
        }
    }

    /** RFC 9162 §2.1.4.2: is the tree of size1 with root1 a prefix of the tree of size2 with root2? */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) throws ProofException {
        if (size1 == 0) {
            throw new ProofException("consistency with the empty tree proves nothing");
        }
        if (size1 < 0 || size2 < 0 || Long.compareUnsigned(size1, size2) > 0) {
            throw new ProofException("first size " + Long.toUnsignedString(size1) + " is larger than second size " + Long.toUnsignedString(size2));
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("trees of equal size need an empty consistency proof");
            }
            if (root1 == null || !MessageDigest.isEqual(root1, root2)) {
                throw new ProofException("trees of equal size have different roots");
            }
            return;
        }
        requireHash(root1, "first root");
        requireHash(root2, "second root");
        requireHashes(proof);
        if (proof.isEmpty()) {
            throw new ProofException("consistency proof is empty");
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(size1) == 1) {
            path.add(0, root1);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw new ProofException("consistency proof is longer than needed");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = TreeHash.node(c, fr);
                sr = TreeHash.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = TreeHash.node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("consistency proof is shorter than needed");
        }
        if (!MessageDigest.isEqual(fr, root1)) {
            throw new ProofException("consistency proof does not lead to the first root");
        }
        if (!MessageDigest.isEqual(sr, root2)) {
            throw new ProofException("consistency proof does not lead to the second root");
        }
    }

    private static void requireHash(byte[] hash, String what) throws ProofException {
        if (hash == null || hash.length != TreeHash.SIZE) {
            throw new ProofException(what + " is not a 32-byte SHA-256 hash");
        }
    }

    private static void requireHashes(List<byte[]> proof) throws ProofException {
        for (byte[] hash : proof) {
            requireHash(hash, "proof hash");
        }
    }
}
