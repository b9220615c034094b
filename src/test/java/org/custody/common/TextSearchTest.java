package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSearchTest {
    @Test
    void foldsCaseAndDiacriticsInLatinCyrillicAndArmenian() {
        assertThat(TextSearch.fold("Élise ÑÚÑEZ")).isEqualTo("elise nunez");
        assertThat(TextSearch.fold("СЕРГЕЙ Йосиф")).isEqualTo("сергеи иосиф");
        assertThat(TextSearch.fold("ԱՐԱՄ")).isEqualTo("արամ");
    }

    @Test
    void escapesLikeWildcardsInSearchTerms() {
        assertThat(TextSearch.containsPattern("50%_a\\b")).isEqualTo("%50\\%\\_a\\\\b%");
    }
}
