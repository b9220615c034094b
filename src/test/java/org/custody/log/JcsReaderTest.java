package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.web.Json;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader of canonical JSON against the long way it stands in for (the service's mapper reads the bytes,
 * {@link Jcs} writes them again, the two must be equal): it accepts only what the long way accepts, with the same tree.
 */
class JcsReaderTest {
    private static final ObjectMapper MAPPER = Json.configure(Jackson.newObjectMapper());
    private static final JcsReader READER = new JcsReader(MAPPER);
    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The long way's verdict: the tree, when the bytes are JSON the mapper reads and their canonical form is themselves. */
    private static JsonNode longWay(byte[] bytes) {
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            return tree != null && Arrays.equals(Jcs.canonicalize(tree), bytes) ? tree : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Test
    void readsTheRfc8785ExamplesAsTheMapperDoes() throws Exception {
        for (String json : List.of(
                "{\"literals\":[null,true,false],\"numbers\":[0,-1,9007199254740991,-9007199254740991,2147483648],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
                "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
                        + "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
                "{\"e\":[],\"n\":\"Արամ Сергей\",\"o\":{},\"t\":\"\\b\\f\\t\\u0000\\u001f\u007f\"}",
                "[-2147483648,2147483647,-2147483649,2147483648]", // where the mapper's nodes change from int to long
                "[]", "\"\"", "0", "-42", "true", "null")) {
            byte[] bytes = utf8(json);
            JsonNode read = READER.read(bytes);
            assertThat(read).as(json).isNotNull().isEqualTo(MAPPER.readTree(bytes));
            assertThat(Jcs.canonicalize(read)).as(json).isEqualTo(bytes);
        }
    }

    @Test
    void turnsDownEveryOtherFormOfTheSameJson() {
        for (String json : List.of(
                "{\"a\":1, \"b\":2}", " {}", "{}\n", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":1}", // whitespace, order, a name twice
                "[-0]", "[01]", "[1.0]", "[1e2]", "[+1]", "[9007199254740992]", "[-9007199254740992]", "[12345678901234567]", // numbers
                "[\"\\u001F\"]", "[\"\\u0041\"]", "[\"\\/\"]", "[\"\\u000a\"]", "[\"\\u00e9\"]", "[\"\\x\"]", "[\"\t\"]", // escapes
                "[True]", "[nul]", "[\"open]", "{\"a\"}", "{\"a\":}", "[1,]", "[,1]", "{}{}", "", "[", "{\"a\":1")) {
            byte[] bytes = utf8(json);
            assertThat(READER.read(bytes)).as(json).isNull();
            assertThat(longWay(bytes)).as(json).isNull();
        }
    }

    @Test
    void turnsDownUtf8ThatIsNotShortestFormOrEncodesASurrogate() {
        for (byte[] text : List.of(
                new byte[] {(byte) 0xC0, (byte) 0xAF}, // '/' in two bytes
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // and in three
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // U+D800
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF})) {
            byte[] bytes = new byte[text.length + 4];
            bytes[0] = '[';
            bytes[1] = '"';
            System.arraycopy(text, 0, bytes, 2, text.length);
            bytes[text.length + 2] = '"';
            bytes[text.length + 3] = ']';
            assertThat(READER.read(bytes)).as(Arrays.toString(text)).isNull();
        }
    }

    @Test
    void leavesTextWithALoneSurrogateToTheLongWayWhichRefusesIt() throws Exception {
        String lone = "{\"a\":\"x\ud800\"}"; // encoded, the surrogate would become '?', and the fast path read "x?"
        assertThat(READER.read(lone)).isNull();
        assertThat(READER.readCanonical(lone)).isNull();
        String paired = "{\"a\":\"x\ud83d\ude00\"}";
        assertThat(READER.readCanonical(paired)).isEqualTo(MAPPER.readTree(paired));
    }

    @Test
    void readCanonicalTellsJsonInAnotherFormFromWhatIsNotJson() throws Exception {
        assertThat(READER.readCanonical(utf8("{\"a\":[1,true]}"))).isEqualTo(MAPPER.readTree("{\"a\":[1,true]}"));
        assertThat(READER.readCanonical(utf8("{ \"a\": [1, true] }"))).isNull();
        assertThat(READER.readCanonical(utf8("[4.5]"))).isNull(); // JSON, but no canonical form holds a fraction
        assertThatThrownBy(() -> READER.readCanonical(utf8("{\"a\":"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> READER.readCanonical("not json")).isInstanceOf(IOException.class);
    }

    @Test
    void leavesNestingNearTheMappersLimitToTheLongWay() throws Exception {
        String deepest = "[".repeat(Json.MAX_NESTING) + "]".repeat(Json.MAX_NESTING);
        assertThat(READER.read(utf8(deepest))).isNull();
        assertThat(READER.readCanonical(utf8(deepest))).isEqualTo(MAPPER.readTree(deepest)); // the mapper still reads it
        String deeper = "[" + deepest + "]";
        assertThatThrownBy(() -> READER.readCanonical(utf8(deeper))).isInstanceOf(IOException.class);
        String shallower = "[".repeat(Json.MAX_NESTING - 1) + "]".repeat(Json.MAX_NESTING - 1);
        assertThat(READER.read(utf8(shallower))).isEqualTo(MAPPER.readTree(shallower));
    }

    @Property(tries = 400)
    void readsWhatJcsWritesBackIntoTheTreeTheMapperReads(@ForAll("documents") JsonNode document) throws Exception {
        byte[] canonical = Jcs.canonicalize(document);
        JsonNode read = READER.read(canonical);
        assertThat(read).isNotNull().isEqualTo(MAPPER.readTree(canonical));
        assertThat(Jcs.canonicalize(read)).isEqualTo(canonical);
    }

    @Property(tries = 2000)
    void acceptsAChangedDocumentOnlyWhenTheLongWayDoes(@ForAll("documents") JsonNode document, @ForAll @IntRange(min = 0, max = 10_000) int where,
                                                      @ForAll @IntRange(min = 0, max = 2) int how, @ForAll byte value) {
        byte[] canonical = Jcs.canonicalize(document);
        int at = where % (canonical.length + 1);
        byte[] changed = switch (how) {
            case 0 -> at == canonical.length ? canonical : replaced(canonical, at, value);
            case 1 -> inserted(canonical, at, value);
            default -> at == canonical.length ? canonical : removed(canonical, at);
        };
        assertThat(READER.read(changed)).isEqualTo(longWay(changed));
    }

    @Property(tries = 1000)
    void takesEachMembersCanonicalFormFromItsObjects(@ForAll("documents") JsonNode document, @ForAll("names") String absent) throws Exception {
        byte[] canonical = Jcs.canonicalize(document);
        String text = new String(canonical, StandardCharsets.UTF_8);
        CanonicalJson read = READER.readCanonicalJson(text, canonical);
        // the places the one-pass reader notes while reading, and the ones a scan of the bytes finds (the long way's)
        for (CanonicalJson json : List.of(read, CanonicalJson.scanned(MAPPER.readTree(canonical), canonical))) {
            assertThat(json.tree()).isEqualTo(MAPPER.readTree(canonical));
            document.fieldNames().forEachRemaining(name -> assertThat(json.member(name)).as(name).isEqualTo(Jcs.canonicalize(document.get(name))));
            if (!document.has(absent)) {
                assertThat(json.member(absent)).isNull();
            }
        }
    }

    @Provide
    Arbitrary<String> names() {
        return texts();
    }

    private static byte[] replaced(byte[] bytes, int at, byte value) {
        byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] inserted(byte[] bytes, int at, byte value) {
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        copy[at] = value;
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        return copy;
    }

    private static byte[] removed(byte[] bytes, int at) {
        byte[] copy = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
        return copy;
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        return value(4);
    }

    /** Text with what needs escaping, non-ASCII in one to four bytes, and the digits and signs numbers are made of. */
    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080éԱ€\ufb33-019.e").ofMaxLength(12),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(8),
                Arbitraries.of("😀", "a😀b", "Արամ", ""));
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                texts().map(NODES::textNode),
                Arbitraries.longs().between(-(1L << 53) + 1, (1L << 53) - 1).map(n -> (JsonNode) NODES.numberNode(n)),
                Arbitraries.integers().between(-1000, 1000).map(n -> (JsonNode) NODES.numberNode(n)),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<JsonNode> arrays = value(depth - 1).list().ofMaxSize(4).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Arbitraries.maps(texts(), value(depth - 1)).ofMaxSize(4).map(members -> {
            ObjectNode object = NODES.objectNode();
            members.forEach(object::set);
            return object;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, scalars), net.jqwik.api.Tuple.of(1, arrays), net.jqwik.api.Tuple.of(2, objects));
    }
}
