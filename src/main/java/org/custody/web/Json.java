package org.custody.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

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
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("custody-text").addDeserializer(String.class, new TextWithoutNul()));
        return mapper;
    }

    /**
     * Text may hold any character but NUL (U+0000): it has no place in what people write, and PostgreSQL cannot store it
     * in a text column, so it is refused at the edge, the same on both databases.
     */
    static final class TextWithoutNul extends com.fasterxml.jackson.databind.deser.std.StringDeserializer {
        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser parser, com.fasterxml.jackson.databind.DeserializationContext context)
                throws java.io.IOException {
            String text = super.deserialize(parser, context);
            if (text != null && text.indexOf('\u0000') >= 0) {
                String problem = "must not contain the NUL character (U+0000)";
                com.fasterxml.jackson.databind.exc.InvalidFormatException refused =
                        com.fasterxml.jackson.databind.exc.InvalidFormatException.from(parser, problem, "(text)", String.class);
                refused.initCause(new IllegalArgumentException(problem));
                throw refused;
            }
            return text;
        }
    }
}
