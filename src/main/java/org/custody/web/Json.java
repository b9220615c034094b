package org.custody.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.custody.common.Validation;

/** Strict JSON: unknown fields, wrong types, numbers for enums and trailing garbage are errors, not guesses. */
public final class Json {
    public static final int MAX_NESTING = 64;

    private Json() {}

    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(100)
                .maxStringLength(2 * 1024 * 1024)
                .build());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL,
                DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("custody-text")
                .addDeserializer(String.class, new StoredText())
                .addDeserializer(Instant.class, new RequestInstant()));
        return mapper;
    }

    /**
     * Refuses a JSON object that names a field twice, as I-JSON (RFC 7493) does, in the server's mapper. Reading a tree
     * refused it already ({@code FAIL_ON_READING_DUP_TREE_KEY}), but a typed request body kept the last value, so
     * {@code {"status":"DETENTION_CONFIRMED","status":"DECEASED"}} recorded a death that another reader of the same
     * request might not see. The commands read only what the service wrote itself, and verify-log reads a million
     * payloads, without the parser's bookkeeping of names.
     */
    public static void refuseRepeatedNames(ObjectMapper mapper) {
        mapper.getFactory().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * An instant in a request is ISO-8601 text with its offset, such as {@code 2020-10-27T14:30:00Z} or
     * {@code 2020-10-27T18:30:00+04:00}, in the years 1000–9999. Jackson's own reading took a number as seconds since
     * 1970 ({@code 1.5} a moment in 1970; {@code 1e400}, out of range, 1970 itself) and any year Java can hold
     * (-999999999 was stored on H2; PostgreSQL's timestamps span 4713 BC to 294276 AD), where no custody event or grant
     * can mean a year outside these.
     */
    static final class RequestInstant extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<Instant> {
        private static final Instant FIRST = Instant.parse("1000-01-01T00:00:00Z");
        private static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
        private static final String FORM = "must be text giving a date and time with its offset, such as \"2020-10-27T14:30:00Z\"";

        RequestInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(com.fasterxml.jackson.core.JsonParser parser, com.fasterxml.jackson.databind.DeserializationContext context)
                throws java.io.IOException {
            String text = parser.getText();
            if (!parser.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                throw refusal(parser, FORM, text, Instant.class);
            }
            Instant instant;
            try {
                instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
            } catch (DateTimeException e) {
                throw refusal(parser, FORM, text, Instant.class);
            }
            if (instant.isBefore(FIRST) || !instant.isBefore(END)) {
                throw refusal(parser, "must lie in the years 1000 to 9999", text, Instant.class);
            }
            return instant;
        }
    }

    /** Text in a request, refused at the edge when {@link Validation#textProblem} finds it cannot be stored. */
    static final class StoredText extends com.fasterxml.jackson.databind.deser.std.StringDeserializer {
        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser parser, com.fasterxml.jackson.databind.DeserializationContext context)
                throws java.io.IOException {
            String text = super.deserialize(parser, context);
            String problem = text == null ? null : Validation.textProblem(text);
            if (problem != null) {
                throw refusal(parser, problem, "(text)", String.class);
            }
            return text;
        }
    }

    /**
     * A value refused with {@code problem} as the words the client sees: {@link Validation#describeProblem} shows the
     * message of an {@link IllegalArgumentException} cause, never Jackson's own.
     */
    private static com.fasterxml.jackson.databind.exc.InvalidFormatException refusal(com.fasterxml.jackson.core.JsonParser parser, String problem,
                                                                                    Object value, Class<?> type) {
        com.fasterxml.jackson.databind.exc.InvalidFormatException refused =
                com.fasterxml.jackson.databind.exc.InvalidFormatException.from(parser, problem, value, type);
        refused.initCause(new IllegalArgumentException(problem));
        return refused;
    }
}
