package org.custody.web;

/**
 * Counts the values a JSON text holds as its bytes go by, without parsing it: each array or object opened and each
 * comma between members or elements outside strings is one more. At most one short of a value for each container
 * (its first member goes uncounted) of what a parser builds from the text, at a few comparisons a byte, so that a
 * body can be refused before the parser has built a tree of it. Text that is not JSON is counted the same way and
 * refused by the parser afterwards.
 */
final class JsonValueCount {
    private final int max;
    private int count;
    private boolean inString;
    private boolean escaped;

    JsonValueCount(int max) {
        this.max = max;
    }

    /** Counts {@code n} more bytes of the text; false once it holds more than the maximum. */
    boolean add(byte[] bytes, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            byte b = bytes[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if ((b == ',' || b == '[' || b == '{') && ++count > max) {
                return false;
            }
        }
        return true;
    }
}
