package org.custody.common;

import java.util.List;

/** Input that parsed but breaks a rule; lists every offending field at once. */
public class InvalidInputException extends DomainException {
    private final List<FieldError> errors;
    private final boolean malformed;

    public InvalidInputException(List<FieldError> errors) {
        this(errors, false);
    }

    private InvalidInputException(List<FieldError> errors, boolean malformed) {
        super("The request has " + errors.size() + " invalid field(s)");
        this.errors = List.copyOf(errors);
        this.malformed = malformed;
    }

    /** JSON of the wrong shape (unknown field, wrong type, unparseable value), as opposed to a rule broken. */
    public static InvalidInputException malformed(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)), true);
    }

    public boolean isMalformed() {
        return malformed;
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** One invalid field: a JSON path such as {@code person.birthDate} and what is wrong with it. */
    public record FieldError(String field, String message) {}
}
