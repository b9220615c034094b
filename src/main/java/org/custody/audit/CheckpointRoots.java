package org.custody.audit;

import java.util.Arrays;
import org.custody.log.tree.TreeHash;

/**
 * The tree's root at each size a checkpoint names, recorded as verify-log rebuilds the tree entry by entry. The sizes
 * are known before the entries are read; they are kept sorted in one array with the roots beside them, and the rebuild
 * passes them in order, so recording costs a comparison per entry (a log of a million entries written by many
 * writers at once has over a hundred thousand checkpoints).
 */
final class CheckpointRoots {
    private final long[] sizes;
    private final byte[][] roots;
    /** The first size the tree has not yet grown past. */
    private int next;

    /** @param sizes the sizes checkpoints name, in any order, repeats allowed */
    CheckpointRoots(long[] sizes) {
        this.sizes = Arrays.stream(sizes).sorted().distinct().toArray();
        this.roots = new byte[this.sizes.length][];
    }

    /** Whether a checkpoint names the tree's next size, {@code size}: sizes must be given one after the other. */
    boolean named(long size) {
        while (next < sizes.length && sizes[next] < size) {
            next++;
        }
        return next < sizes.length && sizes[next] == size;
    }

    /** Records the root at {@code size}, which {@link #named} has just said a checkpoint names. */
    void record(long size, byte[] root) {
        if (!named(size) || root.length != TreeHash.SIZE) {
            throw new IllegalArgumentException("no checkpoint names size " + size + ", or the root is not a hash");
        }
        roots[next] = root.clone();
    }

    /** The root at {@code size}, or null when no checkpoint names it or the tree never reached it. */
    byte[] root(long size) {
        int at = Arrays.binarySearch(sizes, size);
        return at < 0 || roots[at] == null ? null : roots[at].clone();
    }
}
