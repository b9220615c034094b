package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pace rule's arithmetic; the rule itself is exercised through a download (DownloadPaceTest) and a request body (SlowBodiesContract). */
class ClientPaceTest {
    @Test
    void productsAreComparedExactlyPastSixtyFourBits() {
        long near65Bits = Long.MAX_VALUE / 2; // 2^62 - 1
        assertThat(ClientPace.productLess(near65Bits, 8, Long.MAX_VALUE, 4)).as("2^65 - 8 < 2^65 - 4").isTrue();
        assertThat(ClientPace.productLess(Long.MAX_VALUE, 4, near65Bits, 8)).isFalse();
        assertThat(ClientPace.productLess(near65Bits, 8, Long.MAX_VALUE - 1, 4)).as("equal").isFalse();
        long second = 1_000_000_000L;
        assertThat(ClientPace.productLess(1L << 40, second, 1L << 30, 1024 * second + 1)).isTrue();
        assertThat(ClientPace.productLess(1L << 40, second, 1L << 30, 1024 * second)).isFalse();
        assertThat(ClientPace.productLess(3, 5, 2, 7)).isFalse();
    }

}
