package org.custody.log;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads JSON that is in the exact form {@link Jcs} writes (RFC 8785 with integers only) in one pass, without parsing
 * it in full generality and writing it again to compare. verify-log reads every entry, payload and record this way, a
 * million of each for a million-entry log.
 *
 * <p>{@link #read(byte[])} is a fast path: it accepts only bytes that are canonical, and gives the same tree the
 * mapper would. It may turn down canonical bytes near the mapper's limits, so a null from it means "not sure";
 * {@link #readCanonical(byte[])} then settles the question the long way.
 */
public final class JcsReader {
    private final ObjectMapper mapper;
    private final CanonicalCursor.Limits limits;

    public JcsReader(ObjectMapper mapper) {
        this.mapper = mapper;
        StreamReadConstraints constraints = mapper.getFactory().streamReadConstraints();
        this.limits = new CanonicalCursor.Limits(mapper.getNodeFactory(), constraints.getMaxNestingDepth(), constraints.getMaxStringLength(),
                constraints.getMaxNameLength());
    }

    /**
     * The tree when {@code bytes} are exactly its canonical form; null when they are JSON in some other form (or a
     * form canonicalisation refuses, such as a fraction or a lone surrogate).
     *
     * @throws IOException when they are not JSON at all
     */
    public JsonNode readCanonical(byte[] bytes) throws IOException {
        JsonNode tree = read(bytes);
        if (tree != null) {
            return tree;
        }
        tree = mapper.readTree(bytes);
        return tree != null && isCanonical(tree, bytes) ? tree : null;
    }

    /** {@link #readCanonical(byte[])} for text, such as a payload stored in a text column. */
    public JsonNode readCanonical(String text) throws IOException {
        return readCanonical(text, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #readCanonical(String)}, given the text's UTF-8 bytes as well (a caller that needs them encodes once). */
    public JsonNode readCanonical(String text, byte[] utf8) throws IOException {
        CanonicalJson read = readCanonicalJson(text, utf8);
        return read == null ? null : read.tree();
    }

    /** {@link #readCanonical(String, byte[])}, with where an object's members lie in {@code utf8}. */
    public CanonicalJson readCanonicalJson(String text, byte[] utf8) throws IOException {
        if (!hasSurrogate(text)) {
            CanonicalCursor cursor = new CanonicalCursor(limits, utf8);
            JsonNode tree = document(cursor);
            if (tree != null) {
                return new CanonicalJson(tree, utf8, cursor.topMemberBounds());
            }
        }
        JsonNode tree = mapper.readTree(text);
        // the text's UTF-8 stands for it exactly here: a lone surrogate in a JSON string leaves the tree without a
        // canonical form, and one outside a string is not JSON
        return tree != null && isCanonical(tree, utf8) ? CanonicalJson.scanned(tree, utf8) : null;
    }

    /** The tree, if {@code bytes} are canonical JSON within the mapper's limits; null if not, or if not sure. */
    public JsonNode read(byte[] bytes) {
        return document(new CanonicalCursor(limits, bytes));
    }

    private static JsonNode document(CanonicalCursor cursor) {
        try {
            return cursor.document();
        } catch (RuntimeException e) {
            if (e == CanonicalCursor.NOT_CANONICAL || e instanceof ArrayIndexOutOfBoundsException) {
                return null;
            }
            throw e;
        }
    }

    /**
     * {@link #read(byte[])} for text. Text with any surrogate is left to the long way: a lone surrogate becomes '?'
     * when encoded, and the fast path would then read a text the column does not hold.
     */
    public JsonNode read(String text) {
        return hasSurrogate(text) ? null : read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isCanonical(JsonNode tree, byte[] bytes) {
        return Arrays.equals(Jcs.canonicalOrNull(tree), bytes);
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
