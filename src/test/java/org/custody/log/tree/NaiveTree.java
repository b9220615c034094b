package org.custody.log.tree;

import java.util.ArrayList;
import java.util.List;

/** RFC 9162 §2.1 written as literally as possible, over all leaf hashes in memory: the reference for property tests. */
public final class NaiveTree {
    private NaiveTree() {}

    public static byte[] mth(List<byte[]> leaves) {
        if (leaves.isEmpty()) return TreeHash.empty();
        if (leaves.size() == 1) return leaves.get(0);
        int k = Integer.highestOneBit(leaves.size() - 1);
        return TreeHash.node(mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
    }

    static List<byte[]> path(int m, List<byte[]> leaves) {
        List<byte[]> proof = new ArrayList<>();
        if (leaves.size() <= 1) return proof;
        int k = Integer.highestOneBit(leaves.size() - 1);
        if (m < k) {
            proof.addAll(path(m, leaves.subList(0, k)));
            proof.add(mth(leaves.subList(k, leaves.size())));
        } else {
            proof.addAll(path(m - k, leaves.subList(k, leaves.size())));
            proof.add(mth(leaves.subList(0, k)));
        }
        return proof;
    }

    static List<byte[]> consistency(int m, List<byte[]> leaves) {
        return m == 0 || m == leaves.size() ? new ArrayList<>() : subproof(m, leaves, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean b) {
        List<byte[]> proof = new ArrayList<>();
        int n = leaves.size();
        if (m == n) {
            if (!b) proof.add(mth(leaves));
            return proof;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            proof.addAll(subproof(m, leaves.subList(0, k), b));
            proof.add(mth(leaves.subList(k, n)));
        } else {
            proof.addAll(subproof(m - k, leaves.subList(k, n), false));
            proof.add(mth(leaves.subList(0, k)));
        }
        return proof;
    }

    static HashSource source(List<byte[]> leaves) {
        return (level, index) -> mth(leaves.subList((int) (index << level), (int) ((index + 1) << level)));
    }
}
