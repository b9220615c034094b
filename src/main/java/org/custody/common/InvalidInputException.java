package org.custody.common;

import java.util.List;

/** Input that parsed but breaks a rule; lists every offending field at once. */
public class InvalidInputException extends DomainException {
    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super("The request has " + errors.size() + " invalid field(s)");
        this.errors = List.copyOf(errors);
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
