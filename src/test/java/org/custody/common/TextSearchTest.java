package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

class TextSearchTest {
    @Test
    void foldsCaseAndDiacriticsInLatinCyrillicAndArmenian() {
        assertThat(TextSearch.fold("Élise ÑÚÑEZ")).isEqualTo("elise nunez");
        assertThat(TextSearch.fold("СЕРГЕЙ Йосиф")).isEqualTo("сергеи иосиф");
        assertThat(TextSearch.fold("ԱՐԱՄ")).isEqualTo("արամ");
    }

    /** ASCII text takes a short way; it must arrive where the whole folding does. */
    @Property
    void asciiFoldsAsTheWholeFoldingDoes(@ForAll @CharRange(from = 0, to = 127) String text) {
        String whole = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        assertThat(TextSearch.fold(text)).isEqualTo(whole);
    }

    @Test
    void escapesLikeWildcardsInSearchTerms() {
        assertThat(TextSearch.containsPattern("50%_a\\b")).isEqualTo("%50\\%\\_a\\\\b%");
    }
}
