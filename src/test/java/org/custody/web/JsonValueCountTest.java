package org.custody.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class JsonValueCountTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void countsContainersAndTheCommasBetweenTheirMembersOutsideStrings() {
        assertThat(count("[\"a\",\"b\",\"c\"]")).isEqualTo(3);
        assertThat(count("{\"a\":[1,2],\"b\":{}}")).isEqualTo(5);
        assertThat(count("\"[,{,\\\",[\"")).isZero(); // brackets, commas and an escaped quote inside a string
        assertThat(count("\"\\\\\",[1]")).as("an escaped backslash ends before the quote").isEqualTo(2);
        assertThat(count("42")).isZero();
    }

    /**
     * For any JSON text, cut anywhere into the reads a body arrives in, the count is the number of arrays and objects
     * plus, for each, one less than its members: at most the values a parser builds, and refused just past the maximum.
     */
    @Property(tries = 300)
    void theCountIsTheSameWhereverTheTextIsCut(@ForAll("documents") JsonNode document, @ForAll @IntRange(min = 1, max = 64) int chunk) {
        byte[] text = document.toString().getBytes(StandardCharsets.UTF_8);
        int expected = expected(document);
        assertThat(fits(text, chunk, expected)).isTrue();
        if (expected > 0) {
            assertThat(fits(text, chunk, expected - 1)).isFalse();
        }
    }

    private static boolean fits(byte[] text, int chunk, int max) {
        JsonValueCount count = new JsonValueCount(max);
        boolean fits = true;
        for (int at = 0; at < text.length; at += chunk) {
            fits &= count.add(text, at, Math.min(chunk, text.length - at));
        }
        return fits;
    }

    private static int count(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int max = 0;
        while (!new JsonValueCount(max).add(bytes, 0, bytes.length)) {
            max++;
        }
        return max;
    }

    private static int expected(JsonNode node) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int inside = 0;
        for (JsonNode child : node) {
            inside += expected(child);
        }
        return 1 + Math.max(0, node.size() - 1) + inside;
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        return document(4);
    }

    private static Arbitrary<JsonNode> document(int depth) {
        Arbitrary<JsonNode> leaves = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(12).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode));
        if (depth == 0) {
            return leaves;
        }
        Arbitrary<JsonNode> inner = document(depth - 1);
        return Arbitraries.oneOf(leaves, inner.list().ofMaxSize(5).map(JsonValueCountTest::array),
                Arbitraries.strings().all().ofMaxLength(6).list().uniqueElements().ofMaxSize(5)
                        .flatMap(names -> inner.list().ofSize(names.size()).map(values -> object(names, values))));
    }

    private static JsonNode array(List<JsonNode> items) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(array::add);
        return array;
    }

    private static JsonNode object(List<String> names, List<JsonNode> values) {
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < names.size(); i++) {
            object.set(names.get(i), values.get(i));
        }
        return object;
    }
}
