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
        // level by level, each level's hashes written over the one below in one scratch array
        int width = count / 2;
        byte[] level = new byte[width * TreeHash.SIZE];
        for (int i = 0; i < width; i++) {
            TreeHash.node(tile, (offset + 2 * i) * TreeHash.SIZE, (offset + 2 * i + 1) * TreeHash.SIZE, level, i * TreeHash.SIZE);
        }
        for (; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                TreeHash.node(level, 2 * i * TreeHash.SIZE, (2 * i + 1) * TreeHash.SIZE, level, i * TreeHash.SIZE);
            }
        }
        return Arrays.copyOf(level, TreeHash.SIZE);
    }

    static byte[] hashAt(byte[] tile, int position) {
        return Arrays.copyOfRange(tile, position * TreeHash.SIZE, (position + 1) * TreeHash.SIZE);
    }
}
