package org.custody.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    public static String canonicalString(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(',');
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeInteger(node, out);
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("JSON node of type " + node.getNodeType() + " cannot be canonicalised");
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        List<String> names = new ArrayList<>(node.size());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(String::compareTo);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) out.append(',');
            writeString(names.get(i), out);
            out.append(':');
            write(node.get(names.get(i)), out);
        }
        out.append('}');
    }

    private static void writeInteger(JsonNode node, StringBuilder out) {
        if (node.isInt() || node.isLong()) {
            long value = node.longValue();
            if (value > MAX_SAFE_LONG || value < -MAX_SAFE_LONG) {
                throw new IllegalArgumentException("integer " + value + " is outside the I-JSON range of ±(2^53-1)");
            }
            out.append(value);
        } else {
            out.append(integer(node));
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
    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        int plain = 0;
        while (plain < text.length() && isPlain(text.charAt(plain))) {
            plain++;
        }
        out.append(text, 0, plain); // most text needs no escape: copied in one go
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("text contains an unpaired UTF-16 surrogate");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Written as it is: neither escaped nor part of a surrogate pair to check. */
    private static boolean isPlain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
    }
}
