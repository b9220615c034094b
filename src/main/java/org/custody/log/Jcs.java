package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme: the exact bytes that log entries and payload commitments are
 * made of. Object members are sorted by their UTF-16 code units (RFC 8785 §3.2.3, which is what
 * {@link String#compareTo} does), strings are escaped as ECMAScript's JSON.stringify does (§3.2.2.2),
 * and the output is UTF-8.
 *
 * <p>Numbers are limited to integers within ±2^53 (I-JSON, RFC 7493 §2.2): everything this service logs
 * is an integer, and refusing fractions spares us ECMAScript's double formatting (§3.2.2.3).
 */
public final class Jcs {
    private static final long MAX_SAFE_LONG = (1L << 53) - 1;
    private static final BigInteger MAX_SAFE = BigInteger.valueOf(MAX_SAFE_LONG);

    private Jcs() {}

    public static byte[] canonicalize(JsonNode node) {
        Utf8Out out = new Utf8Out();
        write(node, out);
        return out.bytes();
    }

    /**
     * The canonical form, or null for JSON that has none (a fraction, a lone surrogate, an integer beyond ±2^53): for
     * checks of stored JSON, where such JSON is a finding, not a failure.
     */
    public static byte[] canonicalOrNull(JsonNode node) {
        try {
            return canonicalize(node);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static String canonicalString(JsonNode node) {
        return new String(canonicalize(node), StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, Utf8Out out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.ascii('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.ascii(',');
                    write(node.get(i), out);
                }
                out.ascii(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeInteger(node, out);
            case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
            case NULL -> out.ascii("null");
            default -> throw new IllegalArgumentException("JSON node of type " + node.getNodeType() + " cannot be canonicalised");
        }
    }

    /** Members sorted by their names' UTF-16 code units (String's own order), as RFC 8785 §3.2.3 has them. */
    private static void writeObject(JsonNode node, Utf8Out out) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, JsonNode>[] members = new Map.Entry[node.size()];
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        boolean sorted = true;
        for (int i = 0; i < members.length; i++) {
            members[i] = it.next();
            sorted &= i == 0 || members[i - 1].getKey().compareTo(members[i].getKey()) < 0;
        }
        if (!sorted) {
            Arrays.sort(members, Map.Entry.comparingByKey());
        }
        out.ascii('{');
        for (int i = 0; i < members.length; i++) {
            if (i > 0) out.ascii(',');
            writeString(members[i].getKey(), out);
            out.ascii(':');
            write(members[i].getValue(), out);
        }
        out.ascii('}');
    }

    private static void writeInteger(JsonNode node, Utf8Out out) {
        if (node.isInt() || node.isLong()) {
            long value = node.longValue();
            if (value > MAX_SAFE_LONG || value < -MAX_SAFE_LONG) {
                throw new IllegalArgumentException("integer " + value + " is outside the I-JSON range of ±(2^53-1)");
            }
            out.ascii(Long.toString(value));
        } else {
            out.ascii(integer(node).toString());
        }
    }

    private static BigInteger integer(JsonNode node) {
        BigInteger value;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else {
            BigDecimal decimal = node.decimalValue().stripTrailingZeros();
            if (decimal.scale() > 0) {
                throw new IllegalArgumentException("only integers are canonicalised, not " + node.asText());
            }
            value = decimal.toBigIntegerExact();
        }
        if (value.abs().compareTo(MAX_SAFE) > 0) {
            throw new IllegalArgumentException("integer " + value + " is outside the I-JSON range of ±(2^53-1)");
        }
        return value;
    }

    /** RFC 8785 §3.2.2.2: only '"', '\\' and control characters are escaped; lone surrogates are refused. */
    private static void writeString(String text, Utf8Out out) {
        out.ascii('"');
        int plain = 0;
        while (plain < text.length() && isPlainAscii(text.charAt(plain))) {
            plain++;
        }
        out.ascii(text, plain); // most text is plain ASCII: copied in one go
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.ascii("\\\"");
                case '\\' -> out.ascii("\\\\");
                case '\b' -> out.ascii("\\b");
                case '\f' -> out.ascii("\\f");
                case '\n' -> out.ascii("\\n");
                case '\r' -> out.ascii("\\r");
                case '\t' -> out.ascii("\\t");
                default -> {
                    if (c < 0x20) {
                        out.ascii(String.format("\\u%04x", (int) c));
                    } else if (c < 0x80) {
                        out.ascii(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.codePoint(Character.toCodePoint(c, text.charAt(++i)));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("text contains an unpaired UTF-16 surrogate");
                    } else {
                        out.codePoint(c);
                    }
                }
            }
        }
        out.ascii('"');
    }

    /** Written as one byte and not escaped. */
    private static boolean isPlainAscii(char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    /**
     * The canonical bytes as they are written: UTF-8 straight away, so that text outside Latin-1 (Armenian names,
     * for one) does not go through a UTF-16 buffer and a second encoding pass.
     */
    private static final class Utf8Out {
        private byte[] bytes = new byte[256];
        private int size;

        void ascii(char c) {
            ensure(1);
            bytes[size++] = (byte) c;
        }

        void ascii(String text) {
            ascii(text, text.length());
        }

        /** The first {@code length} characters of {@code text}, all below U+0080. */
        void ascii(String text, int length) {
            ensure(length);
            for (int i = 0; i < length; i++) {
                bytes[size++] = (byte) text.charAt(i);
            }
        }

        void codePoint(int codePoint) {
            ensure(4);
            if (codePoint < 0x800) {
                bytes[size++] = (byte) (0xC0 | codePoint >> 6);
            } else if (codePoint < 0x10000) {
                bytes[size++] = (byte) (0xE0 | codePoint >> 12);
                bytes[size++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            } else {
                bytes[size++] = (byte) (0xF0 | codePoint >> 18);
                bytes[size++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                bytes[size++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            }
            bytes[size++] = (byte) (0x80 | codePoint & 0x3F);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
