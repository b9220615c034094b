package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A JSON value read from bytes that are exactly its RFC 8785 canonical form, with, when it is an object, where each
 * member's value lies in those bytes. RFC 8785 writes each value on its own, so a member's canonical form is a copy
 * of its bytes: verify-log takes each created record from its payload this way, without writing it again.
 */
public final class CanonicalJson {
    private final JsonNode tree;
    private final byte[] bytes;
    /** For an object, each member's value as its start and end in {@link #bytes}, in the members' order (the tree's too). */
    private final int[] valueBounds;

    CanonicalJson(JsonNode tree, byte[] bytes, int[] valueBounds) {
        this.tree = tree;
        this.bytes = bytes;
        this.valueBounds = valueBounds;
    }

    /** A tree as the mapper read it from its canonical bytes (so with its members in their order), the members' places found by scanning the bytes. */
    static CanonicalJson scanned(JsonNode tree, byte[] bytes) {
        return new CanonicalJson(tree, bytes, tree.isObject() ? memberBounds(bytes, tree.size()) : new int[0]);
    }

    public JsonNode tree() {
        return tree;
    }

    /** The canonical form of member {@code name}'s value, or null when this is not an object or has no such member. */
    public byte[] member(String name) {
        if (!tree.isObject()) {
            return null;
        }
        Iterator<String> names = tree.fieldNames();
        for (int i = 0; names.hasNext(); i++) {
            if (names.next().equals(name)) {
                return Arrays.copyOfRange(bytes, valueBounds[2 * i], valueBounds[2 * i + 1]);
            }
        }
        return null;
    }

    /** Where the values of the {@code members} members of the canonical object {@code bytes} begin and end. */
    private static int[] memberBounds(byte[] bytes, int members) {
        int[] bounds = new int[2 * members];
        int at = 1;
        for (int i = 0; i < members; i++) {
            int valueStart = skipString(bytes, at) + 1;
            int valueEnd = skipValue(bytes, valueStart);
            bounds[2 * i] = valueStart;
            bounds[2 * i + 1] = valueEnd;
            at = valueEnd + 1;
        }
        return bounds;
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
}
