package org.custody.log;

import org.custody.log.tree.TileStorage;

/** Tiles in the {@code log_tile} table, read and written inside the caller's transaction. */
final class JdbiTileStorage implements TileStorage {
    private final TreeDao tree;

    JdbiTileStorage(TreeDao tree) {
        this.tree = tree;
    }

    @Override
    public byte[] read(int tileLevel, long tileIndex) {
        return tree.tile(tileLevel, tileIndex).orElse(new byte[0]);
    }

    @Override
    public void write(int tileLevel, long tileIndex, byte[] hashes, boolean existed) {
        if (existed) {
            if (tree.extendTile(tileLevel, tileIndex, hashes) != 1) {
                throw new IllegalStateException("tile " + tileLevel + "/" + tileIndex + " was not extended");
            }
        } else {
            tree.insertTile(tileLevel, tileIndex, hashes);
        }
    }
}
