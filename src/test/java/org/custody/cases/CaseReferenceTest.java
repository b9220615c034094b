package org.custody.cases;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CaseReferenceTest {
    @Test
    void padsYearAndSequence() {
        assertThat(CaseRecord.reference(2026, 1)).isEqualTo("C-2026-000001");
        assertThat(CaseRecord.reference(2026, 999_999)).isEqualTo("C-2026-999999");
        assertThat(CaseRecord.reference(2027, 1_234_567)).isEqualTo("C-2027-1234567");
    }

    /** References are stored and exported: the fast formatting must give exactly what the format string gave. */
    @Property(tries = 500)
    void isWhatTheFormatStringGives(@ForAll @IntRange(min = 1, max = 99_999) int year, @ForAll @LongRange(min = 1, max = 10_000_000_000L) long sequence) {
        assertThat(CaseRecord.reference(year, sequence)).isEqualTo(String.format("C-%04d-%06d", year, sequence));
    }
}
