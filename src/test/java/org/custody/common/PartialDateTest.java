package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartialDateTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsYearMonthAndDayPrecisionFromObjectsAndBareStrings() throws Exception {
        assertThat(MAPPER.readValue("{\"date\":\"2020\",\"approximate\":true}", PartialDate.class)).isEqualTo(new PartialDate("2020", true));
        assertThat(MAPPER.readValue("\"2020-10\"", PartialDate.class)).isEqualTo(new PartialDate("2020-10", false));
        assertThat(MAPPER.writeValueAsString(new PartialDate("2020-10-27", false))).isEqualTo("{\"date\":\"2020-10-27\",\"approximate\":false}");
    }

    @Test
    void theServersStrictMapperTakesAnObjectWithoutApproximateAsExact() throws Exception {
        ObjectMapper strict = org.custody.web.Json.configure(new ObjectMapper());
        assertThat(strict.readValue("{\"date\":\"1999\"}", PartialDate.class)).isEqualTo(new PartialDate("1999", false));
        assertThat(strict.readValue("{\"date\":\"1999\",\"approximate\":true}", PartialDate.class)).isEqualTo(new PartialDate("1999", true));
        assertThatThrownBy(() -> strict.readValue("{\"date\":\"1999\",\"approximate\":\"yes\"}", PartialDate.class))
                .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"20", "2020-1", "2020-13", "2021-02-29", "2020/10", "0999", "2020-10-27T00:00", ""})
    void refusesWhatIsNotAReducedPrecisionCalendarDate(String text) {
        assertThatThrownBy(() -> PartialDate.exact(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDateIsInTheFutureOnlyWhenItsEarliestDayIs() {
        LocalDate today = LocalDate.of(2026, 11, 23);
        assertThat(PartialDate.exact("2026").isAfter(today)).isFalse();
        assertThat(PartialDate.exact("2026-11").isAfter(today)).isFalse();
        assertThat(PartialDate.exact("2026-11-24").isAfter(today)).isTrue();
        assertThat(PartialDate.exact("2027").isAfter(today)).isTrue();
        assertThat(PartialDate.exact("2024-02-29").earliestDay()).isEqualTo(LocalDate.of(2024, 2, 29));
    }
}
