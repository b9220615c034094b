package org.custody.log.tree;

/** Where proofs get their hashes: the hash of the complete subtree of 2^level leaves at position index. */
@FunctionalInterface
public interface HashSource {
    byte[] node(int level, long index);
}
