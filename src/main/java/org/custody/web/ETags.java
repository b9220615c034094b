package org.custody.web;

import jakarta.ws.rs.core.EntityTag;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.common.InvalidInputException;

/** Strong entity tags carrying a record's version: {@code "7"}. */
public final class ETags {
    /** A version as this service writes it: no leading zero ({@code "01"} is another tag than {@code "1"}, RFC 9110 §8.8.3.2). */
    private static final Pattern QUOTED_VERSION = Pattern.compile("\"(0|[1-9]\\d{0,17})\"");

    private ETags() {}

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * The version an {@code If-Match} header names.
     *
     * @throws PreconditionRequiredException when the header is missing (428)
     * @throws InvalidInputException when it is not one strong tag that this service issued
     */
    public static long requiredVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionRequiredException();
        }
        Matcher matcher = QUOTED_VERSION.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw new InvalidInputException("If-Match", "must be the ETag of the current version, such as \"3\"");
        }
        return Long.parseLong(matcher.group(1));
    }

    /** An edit sent without If-Match: the service will not guess which version the editor saw. */
    public static final class PreconditionRequiredException extends RuntimeException {
        public PreconditionRequiredException() {
            super("This edit needs an If-Match header with the ETag of the version being edited", null, false, false);
        }
    }
}
