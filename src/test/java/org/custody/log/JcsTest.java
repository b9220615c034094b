package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8785 known answers: the examples of §3.2.2.2 (strings), §3.2.3 (member order) and §3.2.4 (literals). */
class JcsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String canonical(String json) throws Exception {
        return Jcs.canonicalString(MAPPER.readTree(json));
    }

    @Test
    void escapesStringsAsRfc8785Section3224Shows() throws Exception {
        String input = "{\"literals\":[null, true, false],\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"}";
        assertThat(canonical(input)).isEqualTo("{\"literals\":[null,true,false],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void sortsMembersByUtf16CodeUnitsAsRfc8785Section323Shows() throws Exception {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String out = canonical(input);
        assertThat(out).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
                + "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void writesIntegersPlainAndRefusesFractionsAndUnsafeIntegers() throws Exception {
        assertThat(canonical("[0,-1,9007199254740991,1.0,1e2]")).isEqualTo("[0,-1,9007199254740991,1,100]");
        assertThatThrownBy(() -> canonical("[4.5]")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only integers");
        assertThat(canonical("[-9007199254740991,2147483648]")).isEqualTo("[-9007199254740991,2147483648]");
        for (String unsafe : List.of("[9007199254740992]", "[-9007199254740992]", "[-9223372036854775808]", "[9223372036854775807]",
                "[123456789012345678901234567890]")) {
            assertThatThrownBy(() -> canonical(unsafe)).as(unsafe).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("I-JSON");
        }
    }

    @Test
    void copiesPlainTextAndEscapesWhatFollowsIt() throws Exception {
        assertThat(canonical("[\"plain then \\\" quote\", \"\\u0001 first\", \"emoji \\ud83d\\ude00 then\\ttab\", \"\"]"))
                .isEqualTo("[\"plain then \\\" quote\",\"\\u0001 first\",\"emoji \ud83d\ude00 then\\ttab\",\"\"]");
    }

    @Test
    void refusesUnpairedSurrogates() {
        assertThatThrownBy(() -> canonical("[\"\\ud800x\"]")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    }

    @Test
    void keepsNonAsciiTextAsUtf8() throws Exception {
        assertThat(new String(Jcs.canonicalize(MAPPER.readTree("{\"n\":\"Արամ Сергей\"}")), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"n\":\"Արամ Сергей\"}");
    }
}
