package org.custody.log.tree;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinates of a hash tile as c2sp.org/tlog-tiles names it, {@code tile/<L>/<N>[.p/<W>]}: tile level {@code L},
 * index {@code N} within the level, and width {@code W}, the number of hashes (256 for a full tile, whose path has no
 * {@code .p/} suffix). Only the one spelling the specification allows is accepted, so each tile has exactly one path.
 */
public record TilePath(int level, long index, int width) {
    /** {@code N} in three-digit elements, all but the last prefixed with {@code x}; then, for a partial tile, its width. */
    private static final Pattern INDEX = Pattern.compile("((?:x[0-9]{3}/)*)([0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");
    private static final Pattern LEVEL = Pattern.compile("0|[1-9][0-9]?");

    public TilePath {
        if (level < 0 || level >= TileStorage.LEVELS || index < 0 || width < 1 || width > TileStorage.WIDTH) {
            throw new IllegalArgumentException("no such tile: level " + level + ", index " + index + ", width " + width);
        }
    }

    /**
     * The tile a request's path names, given its level element and what follows it; empty when the path is not a
     * tile path as c2sp.org/tlog-tiles spells it, or names a level no tree of up to 2^64 entries reaches.
     */
    public static Optional<TilePath> parse(String level, String indexAndWidth) {
        Matcher matcher = INDEX.matcher(indexAndWidth);
        if (!LEVEL.matcher(level).matches() || !matcher.matches()) {
            return Optional.empty();
        }
        int tileLevel = Integer.parseInt(level);
        int width = matcher.group(3) == null ? TileStorage.WIDTH : Integer.parseInt(matcher.group(3));
        if (tileLevel >= TileStorage.LEVELS || width >= TileStorage.WIDTH && matcher.group(3) != null) {
            return Optional.empty();
        }
        long index = 0;
        try {
            for (String element : (matcher.group(1) + matcher.group(2)).split("/")) {
                index = Math.addExact(Math.multiplyExact(index, 1000), Integer.parseInt(element.startsWith("x") ? element.substring(1) : element));
            }
        } catch (ArithmeticException tooLarge) {
            return Optional.empty();
        }
        TilePath tile = new TilePath(tileLevel, index, width);
        // "x000/001" reads as 1 but is not how 1 is written
        return tile.path().equals("tile/" + level + "/" + indexAndWidth) ? Optional.of(tile) : Optional.empty();
    }

    /**
     * The entry bundle a request's path names, given what follows {@code tile/entries/}: it has the coordinates of the
     * level-0 tile that holds its entries' leaf hashes, and the same spelling of index and width.
     */
    public static Optional<TilePath> parseEntryBundle(String indexAndWidth) {
        return parse("0", indexAndWidth);
    }

    /** The tile's path, {@code tile/<L>/<N>[.p/<W>]}. */
    public String path() {
        StringBuilder elements = new StringBuilder(String.format("%03d", index % 1000));
        for (long rest = index / 1000; rest > 0; rest /= 1000) {
            elements.insert(0, String.format("x%03d/", rest % 1000));
        }
        return "tile/" + level + "/" + elements + (width < TileStorage.WIDTH ? ".p/" + width : "");
    }

    /**
     * Whether a tree of {@code treeSize} entries has all of this tile's hashes: at tile level L the tree has
     * {@code treeSize / 256^L} hashes, and the tile holds hashes {@code 256·N} to {@code 256·N + W − 1} of them.
     */
    public boolean inTreeOf(long treeSize) {
        long hashesAtLevel = treeSize >>> (TileStorage.HEIGHT * level);
        return hashesAtLevel >= width && index <= (hashesAtLevel - width) / TileStorage.WIDTH;
    }
}
