package org.custody.log.tree;

import java.security.DigestException;
import java.security.MessageDigest;
import org.custody.common.Sha256Digest;

/** The RFC 9162 §2.1.1 hashes: domain-separated leaf and node hashes over SHA-256. */
public final class TreeHash {
    public static final int SIZE = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    /**
     * One digester per thread, reused: a proof hashes hundreds of nodes, and a fresh digester for each (a provider
     * look-up and several arrays) cost more than the hashing and kept the collector busy.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Sha256Digest::newDigest);

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

    /** The node hash of the two hashes at {@code left} and {@code right} in {@code hashes}, written into {@code out} at {@code at}. */
    static void node(byte[] hashes, int left, int right, byte[] out, int at) {
        MessageDigest sha256 = sha256();
        sha256.update(NODE_PREFIX);
        sha256.update(hashes, left, SIZE);
        sha256.update(hashes, right, SIZE);
        try {
            sha256.digest(out, at, SIZE);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for a hash at " + at, e);
        }
    }

    /** MTH({}) = SHA-256() for the empty tree. */
    public static byte[] empty() {
        return sha256().digest();
    }

    /** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** This thread's digester, reset: a call that failed half-way cannot leave its input behind for the next. */
    private static MessageDigest sha256() {
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        return sha256;
    }
}
