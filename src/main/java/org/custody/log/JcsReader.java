package org.custody.log;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
        JsonNode tree = hasSurrogate(text) ? null : read(utf8);
        if (tree != null) {
            return tree;
        }
        tree = mapper.readTree(text);
        // the text's UTF-8 stands for it exactly here: a lone surrogate in a JSON string leaves the tree without a
        // canonical form, and one outside a string is not JSON
        return tree != null && isCanonical(tree, utf8) ? tree : null;
    }

    /** The tree, if {@code bytes} are canonical JSON within the mapper's limits; null if not, or if not sure. */
    public JsonNode read(byte[] bytes) {
        try {
            return new CanonicalCursor(limits, bytes).document();
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

    /**
     * The canonical form of the member {@code name} of an object, taken from the object's canonical form, or null when
     * the object has no such member. RFC 8785 writes each member's value on its own, so within an object's canonical
     * bytes a value's bytes are its canonical form: for bytes known to be canonical (read by {@link #readCanonical}), this
     * is {@code canonicalize(object.get(name))} without writing anything again. verify-log takes each created record
     * from its payload this way.
     *
     * @throws IllegalArgumentException when the bytes do not begin as an object
     */
    public static byte[] memberValue(byte[] canonicalObject, String name) {
        if (canonicalObject.length < 2 || canonicalObject[0] != '{') {
            throw new IllegalArgumentException("not the canonical form of an object");
        }
        if (canonicalObject[1] == '}') {
            return null;
        }
        byte[] wanted = Jcs.canonicalize(JsonNodeFactory.instance.textNode(name));
        int at = 1;
        while (true) {
            int nameEnd = skipString(canonicalObject, at);
            int valueStart = nameEnd + 1;
            int valueEnd = skipValue(canonicalObject, valueStart);
            if (Arrays.equals(canonicalObject, at, nameEnd, wanted, 0, wanted.length)) {
                return Arrays.copyOfRange(canonicalObject, valueStart, valueEnd);
            }
            if (canonicalObject[valueEnd] == '}') {
                return null;
            }
            at = valueEnd + 1;
        }
    }

    /** The index after the string that opens at {@code at}: in canonical form every escape is a backslash and one more character (or four hex digits). */
    private static int skipString(byte[] bytes, int at) {
        int i = at + 1;
        while (bytes[i] != '"') {
            i += bytes[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The index after the value that begins at {@code at}. */
    private static int skipValue(byte[] bytes, int at) {
        switch (bytes[at]) {
            case '"' -> {
                return skipString(bytes, at);
            }
            case '{', '[' -> {
                int depth = 0;
                int i = at;
                while (true) {
                    byte c = bytes[i];
                    if (c == '"') {
                        i = skipString(bytes, i);
                        continue;
                    }
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if ((c == '}' || c == ']') && --depth == 0) {
                        return i + 1;
                    }
                    i++;
                }
            }
            default -> {
                int i = at;
                while (bytes[i] != ',' && bytes[i] != '}' && bytes[i] != ']') {
                    i++;
                }
                return i;
            }
        }
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
