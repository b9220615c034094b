package org.custody.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
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
        mapper.registerModule(new SimpleModule("custody-text")
                .addDeserializer(String.class, new StoredText())
                .addDeserializer(Instant.class, new RequestInstant()));
        mapper.registerModule(new ExactEnums());
        return mapper;
    }

    /**
     * An enum value in a body must be one of the constants' names exactly, as in a query parameter. Dropwizard's mapper
     * reads them loosely ({@code "deceased"}, {@code " DECEASED"} and {@code "DE CEASED"} were all DECEASED), a guess
     * this service makes nowhere else. Registered after Dropwizard's module, so it is asked first; enums that name
     * their JSON form themselves ({@code @JsonValue}, {@code @JsonCreator}) keep Jackson's reading.
     */
    static final class ExactEnums extends SimpleModule {
        ExactEnums() {
            super("custody-exact-enums");
        }

        @Override
        public void setupModule(SetupContext context) {
            context.addDeserializers(new Deserializers.Base() {
                @Override
                public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config, BeanDescription description) {
                    boolean namesItsForm = StreamSupport.stream(description.getClassInfo().memberMethods().spliterator(), false)
                            .anyMatch(method -> method.hasAnnotation(JsonValue.class) || method.hasAnnotation(JsonCreator.class));
                    return namesItsForm ? null : new ExactEnum(type);
                }
            });
        }
    }

    /** One enum's constants, by exact name. */
    static final class ExactEnum extends StdScalarDeserializer<Object> {
        private final Map<String, Object> byName = new HashMap<>();

        ExactEnum(Class<?> type) {
            super(type);
            for (Object constant : type.getEnumConstants()) {
                byName.put(((Enum<?>) constant).name(), constant);
            }
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return context.handleUnexpectedToken(handledType(), parser);
            }
            Object constant = byName.get(parser.getText());
            if (constant == null) {
                // Validation.describeProblem turns this into "must be one of [...]"
                throw InvalidFormatException.from(parser, "not one of the enum's names", parser.getText(), handledType());
            }
            return constant;
        }
    }

    /**
     * Refuses a JSON object that names a field twice, as I-JSON (RFC 7493) does, in the server's mapper. Reading a tree
     * refused it already ({@code FAIL_ON_READING_DUP_TREE_KEY}), but a typed request body kept the last value, so
     * {@code {"status":"DETENTION_CONFIRMED","status":"DECEASED"}} recorded a death that another reader of the same
     * request might not see. The commands read only what the service wrote itself, and verify-log reads a million
     * payloads, without the parser's bookkeeping of names.
     */
    public static void refuseRepeatedNames(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * An instant in a request is ISO-8601 text with its offset, such as {@code 2020-10-27T14:30:00Z} or
     * {@code 2020-10-27T18:30:00+04:00}, in the years 1000–9999. Jackson's own reading took a number as seconds since
     * 1970 ({@code 1.5} a moment in 1970; {@code 1e400}, out of range, 1970 itself) and any year Java can hold
     * (-999999999 was stored on H2; PostgreSQL's timestamps span 4713 BC to 294276 AD), where no custody event or grant
     * can mean a year outside these.
     */
    static final class RequestInstant extends StdScalarDeserializer<Instant> {
        private static final Instant FIRST = Instant.parse("1000-01-01T00:00:00Z");
        private static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
        private static final String FORM = "must be text giving a date and time with its offset, such as \"2020-10-27T14:30:00Z\"";

        RequestInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getText();
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
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
    static final class StoredText extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
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
    private static InvalidFormatException refusal(JsonParser parser, String problem,
                                                                                    Object value, Class<?> type) {
        InvalidFormatException refused =
                InvalidFormatException.from(parser, problem, value, type);
        refused.initCause(new IllegalArgumentException(problem));
        return refused;
    }
}
