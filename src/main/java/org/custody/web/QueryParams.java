package org.custody.web;

import java.util.Arrays;
import org.custody.common.InvalidInputException;
import org.custody.common.Sha256Digest;

/**
 * Query parameters parsed by hand, because Jersey answers an unparseable query parameter with a bare 404;
 * here the caller is told which parameter is wrong and what it accepts.
 */
public final class QueryParams {
    public static final int MAX_PAGE_SIZE = 200;

    private QueryParams() {}

    public static <E extends Enum<E>> E optionalEnum(Class<E> type, String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A SHA-256 digest in hexadecimal, either case, or null when the parameter is absent. */
    public static Sha256Digest optionalDigest(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return new Sha256Digest(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name, e.getMessage());
        }
    }

    /** A page number and size: {@code page} from 0, {@code size} from 1 to {@value #MAX_PAGE_SIZE}. */
    public record Paging(int page, int size) {
        public static Paging of(String page, String size, int defaultSize) {
            return new Paging(integer("page", page, 0, 0, 1_000_000), integer("size", size, defaultSize, 1, MAX_PAGE_SIZE));
        }
    }

    public static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the same message as an out-of-range number
        }
        throw new InvalidInputException(name, "must be a whole number from " + min + " to " + max);
    }

    public static long longValue(String name, String value, long min, long max) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(name, "is required");
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the same message as an out-of-range number
        }
        throw new InvalidInputException(name, "must be a whole number from " + min + " to " + max);
    }
}
