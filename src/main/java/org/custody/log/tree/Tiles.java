package org.custody.log.tree;

import java.util.Arrays;

/** Hashing within a tile's concatenated hashes. */
final class Tiles {
    private Tiles() {}

    /** The root of the complete subtree over {@code count} (a power of two) hashes starting at {@code offset}. */
    static byte[] subtreeRoot(byte[] tile, int offset, int count) {
        if (count == 1) {
            return hashAt(tile, offset);
        }
        int half = count / 2;
        return TreeHash.node(subtreeRoot(tile, offset, half), subtreeRoot(tile, offset + half, half));
    }

    static byte[] hashAt(byte[] tile, int position) {
        return Arrays.copyOfRange(tile, position * TreeHash.SIZE, (position + 1) * TreeHash.SIZE);
    }
}
