package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** verify-log's own writing of times against {@link Instant#toString()}, which the service's mapper writes. */
class InstantTextProperties {
    @Property(tries = 2_000)
    void writesWhatInstantToStringWrites(@ForAll @LongRange(min = -62_167_219_200L - 86_400, max = 253_402_300_800L + 86_400) long seconds,
                                         @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = 0, max = 3) int precision) {
        // a quarter each with no fraction, milliseconds, microseconds and nanoseconds
        int rounded = switch (precision) {
            case 0 -> 0;
            case 1 -> nanos / 1_000_000 * 1_000_000;
            case 2 -> nanos / 1_000 * 1_000;
            default -> nanos;
        };
        Instant instant = Instant.ofEpochSecond(seconds, rounded);
        assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
    }

    @Example
    void writesTheEdgesOfTheFourDigitYearsAndBeyond() {
        for (String text : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z",
                "2024-02-29T12:00:00.000001Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
    }
}
