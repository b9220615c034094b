package org.custody.common;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.CONSTRUCTOR;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * What the text a person types may hold: {@link OneLine} and {@link Lines} on the records' fields. Names, places and
 * reasons end up in listings, spreadsheets and documents a court reads, copied in from captors' posts and videos as
 * often as typed. Refused everywhere: control characters other than line breaks and tabs (an escape sequence rewrites
 * a terminal's screen, a backspace hides what came before it) and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make text read in an order other than the one stored: after U+202E, RIGHT-TO-LEFT
 * OVERRIDE, the letters show reversed, so a name or a case reference could read as another. Right-to-left names need
 * none of these; the marks U+200E and U+200F, which some text carries, are not refused.
 */
public final class PlainText {
    private PlainText() {}

    /** What one line may not hold: control characters and the bidirectional embeddings, overrides and isolates. */
    private static final String REFUSED = "\\p{Cc}\u202A-\u202E\u2066-\u2069";

    /** One line: a name, a place, a title; no line break or tab either (one could forge a line of a listing). */
    public static final String LINE = "[^" + REFUSED + "]*";
    public static final String LINE_MESSAGE = "must be one line, without control characters or bidirectional overrides";

    /** Several lines, as a summary or a reason: line breaks and tabs allowed. */
    public static final String LINES = "[\t\n\r[^" + REFUSED + "]]*";
    public static final String LINES_MESSAGE = "must not contain control characters other than line breaks and tabs, or bidirectional overrides";

    /** The text is one line ({@link #LINE}); null is valid, as for {@link Pattern}. */
    @Pattern(regexp = LINE)
    @ReportAsSingleViolation
    @Constraint(validatedBy = {})
    @Target({METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE})
    @Retention(RUNTIME)
    public @interface OneLine {
        String message() default LINE_MESSAGE;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** The text may have several lines ({@link #LINES}); null is valid, as for {@link Pattern}. */
    @Pattern(regexp = LINES)
    @ReportAsSingleViolation
    @Constraint(validatedBy = {})
    @Target({METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE})
    @Retention(RUNTIME)
    public @interface Lines {
        String message() default LINES_MESSAGE;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }
}
