package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One pass over one document for {@link JcsReader}, accepting only {@link Jcs}'s form. It throws {@link #NOT_CANONICAL}
 * at the first byte that differs from that form, and runs off the end of a document cut short
 * ({@link ArrayIndexOutOfBoundsException}): the reader takes either as "not canonical".
 */
final class CanonicalCursor {
    /** Thrown to unwind the parse; carries nothing, so it costs no stack trace. */
    static final RuntimeException NOT_CANONICAL = new RuntimeException("not canonical", null, false, false) {};
    private static final long MAX_SAFE = (1L << 53) - 1;

    /** The mapper's node factory and the limits of what it reads: near them, the reader goes the long way. */
    record Limits(JsonNodeFactory nodes, int maxDepth, int maxStringLength, int maxNameLength) {}

    private final Limits limits;
    private final JsonNodeFactory nodes;
    private final byte[] bytes;
    private int at;
    /** Where the values of a top-level object's members begin and end, two ints a member. */
    private int[] topMemberBounds = new int[0];
    private int topMembers;

    CanonicalCursor(Limits limits, byte[] bytes) {
        this.limits = limits;
        this.nodes = limits.nodes();
        this.bytes = bytes;
    }

    /** The one value the bytes hold, with nothing after it. */
    JsonNode document() {
        JsonNode value = value(0);
        if (at != bytes.length) {
            throw NOT_CANONICAL;
        }
        return value;
    }

    private JsonNode value(int depth) {
        return switch (bytes[at]) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> nodes.textNode(string(limits.maxStringLength()));
            case 't' -> literal("true", nodes.booleanNode(true));
            case 'f' -> literal("false", nodes.booleanNode(false));
            case 'n' -> literal("null", nodes.nullNode());
            default -> integer();
        };
    }

    private ObjectNode object(int depth) {
        checkDepth(depth);
        ObjectNode object = nodes.objectNode();
        at++;
        if (bytes[at] == '}') {
            at++;
            return object;
        }
        String previous = null;
        while (true) {
            expect('"');
            String name = string(limits.maxNameLength());
            // RFC 8785 §3.2.3: members sorted by their names' UTF-16 code units, so no name twice either
            if (previous != null && previous.compareTo(name) >= 0) {
                throw NOT_CANONICAL;
            }
            previous = name;
            expect(':');
            at++;
            int valueStart = at;
            object.set(name, value(depth));
            if (depth == 1) {
                recordTopMember(valueStart, at);
            }
            if (bytes[at] == '}') {
                at++;
                return object;
            }
            expect(',');
            at++;
        }
    }

    private void recordTopMember(int valueStart, int valueEnd) {
        if (topMemberBounds.length == 2 * topMembers) {
            topMemberBounds = Arrays.copyOf(topMemberBounds, Math.max(16, 4 * topMembers));
        }
        topMemberBounds[2 * topMembers] = valueStart;
        topMemberBounds[2 * topMembers + 1] = valueEnd;
        topMembers++;
    }

    /** For a document that is an object, where each member's value begins and ends (see {@link CanonicalJson}). */
    int[] topMemberBounds() {
        return Arrays.copyOf(topMemberBounds, 2 * topMembers);
    }

    private ArrayNode array(int depth) {
        checkDepth(depth);
        ArrayNode array = nodes.arrayNode();
        at++;
        if (bytes[at] == ']') {
            at++;
            return array;
        }
        while (true) {
            array.add(value(depth));
            if (bytes[at] == ']') {
                at++;
                return array;
            }
            expect(',');
            at++;
        }
    }

    /** The mapper refuses documents nested deeper than its limit; near it, the long way decides. */
    private void checkDepth(int depth) {
        if (depth >= limits.maxDepth()) {
            throw NOT_CANONICAL;
        }
    }

    private void expect(char c) {
        if (bytes[at] != c) {
            throw NOT_CANONICAL;
        }
    }

    private JsonNode literal(String word, JsonNode node) {
        for (int i = 0; i < word.length(); i++) {
            if (bytes[at + i] != word.charAt(i)) {
                throw NOT_CANONICAL;
            }
        }
        at += word.length();
        return node;
    }

    /** An integer as {@link Jcs} writes it: no sign but '-', no leading zero, no "-0", within ±(2^53-1). */
    private JsonNode integer() {
        boolean negative = bytes[at] == '-';
        int start = negative ? at + 1 : at;
        int end = start;
        long value = 0;
        while (end < bytes.length && bytes[end] >= '0' && bytes[end] <= '9') {
            if (end - start == 16) {
                throw NOT_CANONICAL; // 2^53 has 16 digits
            }
            value = value * 10 + (bytes[end] - '0');
            end++;
        }
        if (end == start || (bytes[start] == '0' && (end - start > 1 || negative)) || value > MAX_SAFE) {
            throw NOT_CANONICAL;
        }
        at = end;
        long signed = negative ? -value : value;
        return signed == (int) signed ? nodes.numberNode((int) signed) : nodes.numberNode(signed);
    }

    /**
     * A string, the opening quote already checked: RFC 8785 §3.2.2.2 escapes only '"', '\\' and the control
     * characters (those with a short form by it, the others as lowercase {@code \}{@code u00xx}); everything
     * else is written as itself, in shortest-form UTF-8 without surrogates.
     */
    private String string(int maxLength) {
        int start = ++at;
        int end = start;
        while (bytes[end] >= 0x20 && bytes[end] != '"' && bytes[end] != '\\') { // a negative byte is not ASCII
            end++;
        }
        if (bytes[end] == '"') {
            return done(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1), end, maxLength);
        }
        StringBuilder text = new StringBuilder(end - start + 16).append(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
        int i = end;
        while (true) {
            int b = bytes[i] & 0xFF;
            if (b == '"') {
                return done(text.toString(), i, maxLength);
            } else if (b == '\\') {
                text.append(escaped(i + 1));
                i += bytes[i + 1] == 'u' ? 6 : 2;
            } else if (b < 0x20) {
                throw NOT_CANONICAL;
            } else if (b < 0x80) {
                text.append((char) b);
                i++;
            } else {
                i = utf8(i, text);
            }
        }
    }

    private String done(String text, int closingQuote, int maxLength) {
        if (text.length() >= maxLength) {
            throw NOT_CANONICAL;
        }
        at = closingQuote + 1;
        return text;
    }

    /** The character an escape after the backslash at {@code i - 1} stands for, if {@link Jcs} would write it so. */
    private char escaped(int i) {
        return switch (bytes[i]) {
            case '"' -> '"';
            case '\\' -> '\\';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (bytes[i + 1] != '0' || bytes[i + 2] != '0' || bytes[i + 3] < '0' || bytes[i + 3] > '1') {
                    throw NOT_CANONICAL;
                }
                int low = Character.digit(bytes[i + 4], 16);
                if (low < 0 || bytes[i + 4] >= 'A' && bytes[i + 4] <= 'F') {
                    throw NOT_CANONICAL; // lowercase hex only
                }
                char c = (char) ((bytes[i + 3] - '0') << 4 | low);
                if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                    throw NOT_CANONICAL; // these have short escapes
                }
                yield c;
            }
            default -> throw NOT_CANONICAL;
        };
    }

    /** Decodes the UTF-8 sequence at {@code i} (RFC 3629 §4: shortest form, no surrogates) and returns where the next begins. */
    private int utf8(int i, StringBuilder text) {
        int b = bytes[i] & 0xFF;
        int length;
        int codePoint;
        int low = 0x80;
        int high = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            length = 2;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            length = 3;
            codePoint = b & 0x0F;
            low = b == 0xE0 ? 0xA0 : 0x80;
            high = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            length = 4;
            codePoint = b & 0x07;
            low = b == 0xF0 ? 0x90 : 0x80;
            high = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            throw NOT_CANONICAL;
        }
        for (int k = 1; k < length; k++) {
            int next = bytes[i + k] & 0xFF;
            if (next < low || next > high) {
                throw NOT_CANONICAL;
            }
            low = 0x80;
            high = 0xBF;
            codePoint = codePoint << 6 | next & 0x3F;
        }
        text.appendCodePoint(codePoint);
        return i + length;
    }
}
