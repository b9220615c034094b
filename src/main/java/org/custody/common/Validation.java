package org.custody.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns JSON that did not come through a resource's {@code @Valid} parameter (a merge-patched document)
 * into a validated value, with the same field-by-field errors a request body would get.
 */
public final class Validation {
    private final ObjectMapper mapper;
    private final Validator validator;

    public Validation(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /**
     * Why a text may not be stored, or null when it may. Any character but NUL (U+0000), which has no place in what
     * people write and which PostgreSQL cannot store in a text column; and no UTF-16 surrogate without its pair (U+D800
     * alone, say), which is no character at all, so that neither the databases nor the log's canonical JSON (RFC 8785)
     * can hold it. Both are refused at the edge, the same on both databases.
     */
    public static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain a UTF-16 surrogate without its pair (" + String.format("U+%04X", (int) c) + " alone is no character)";
            }
        }
        return null;
    }

    public <T> T read(JsonNode document, Class<T> type) {
        T value;
        try {
            value = mapper.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.malformed(describePath(e), describeProblem(e));
        }
        check(value);
        return value;
    }

    public <T> void check(T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations.stream()
                    .map(v -> new InvalidInputException.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(InvalidInputException.FieldError::field))
                    .collect(Collectors.toList()));
        }
    }

    /** The JSON path of a mapping failure, such as {@code person.birthDate} or {@code otherNames[2]}. */
    public static String describePath(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "body";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) path.append('.');
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    /**
     * What is wrong, in words safe to show: our own value types' messages, or the kind of problem;
     * never Jackson's message, which can quote internals.
     */
    public static String describeProblem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return "must be one of " + List.of(format.getTargetType().getEnumConstants());
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "has the wrong type (expected " + jsonTypeName(mismatch.getTargetType()) + ")";
        }
        return "is not valid";
    }

    private static String jsonTypeName(Class<?> type) {
        if (type == String.class || type.isEnum()) return "a string";
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (java.util.Collection.class.isAssignableFrom(type)) return "an array";
        if (type == java.util.UUID.class) return "a UUID such as \"01a2421d-0ede-7ab4-962c-bdf78bacd867\"";
        return "an object";
    }
}
