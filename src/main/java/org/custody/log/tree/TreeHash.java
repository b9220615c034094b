package org.custody.log.tree;

import java.security.MessageDigest;

/** The RFC 9162 §2.1.1 hashes: domain-separated leaf and node hashes over SHA-256. */
public final class TreeHash {
    public static final int SIZE = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private TreeHash() {}

    /** MTH({d}) = SHA-256(0x00 || d). */
    public static byte[] leaf(byte[] entry) {
        MessageDigest sha256 = sha256();
        sha256.update(LEAF_PREFIX);
        return sha256.digest(entry);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha256 = sha256();
        sha256.update(NODE_PREFIX);
        sha256.update(left);
        return sha256.digest(right);
    }

    /** MTH({}) = SHA-256() for the empty tree. */
    public static byte[] empty() {
        return sha256().digest();
    }

    /** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static MessageDigest sha256() {
        return org.custody.common.Sha256Digest.newDigest();
    }
}
