package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsAreVersion7WithTheRfcVariantAndCarryTheirMillisecond() {
        long millis = 0x0190_1234_5678L;
        UUID id = Ids.at(millis);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
        assertThat(id.toString()).startsWith("01901234-5678-7");
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsTextAndAsDatabaseUuids() {
        UUID earlier = Ids.at(1_700_000_000_000L);
        UUID later = Ids.at(1_700_000_000_001L);
        assertThat(later.toString()).isGreaterThan(earlier.toString());
        // PostgreSQL and H2 compare UUIDs as unsigned bytes, which is the order of the text form.
        assertThat(Long.compareUnsigned(later.getMostSignificantBits(), earlier.getMostSignificantBits())).isPositive();
    }

    @Test
    void idsMadeInOneMillisecondDifferInTheirRandomBits() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.at(1_700_000_000_000L));
        }
        assertThat(ids).hasSize(10_000);
    }
}
