package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final SignInThrottle throttle = new SignInThrottle(5, 20, Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    void afterTheLimitEachFailureDoublesTheWaitUpToTheCeiling() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("Lawyer", "192.0.2.1", start);
        }
        assertThat(throttle.waitBefore("lawyer", "192.0.2.1", start)).isEmpty();
        throttle.failed("lawyer", "192.0.2.1", start);
        assertThat(throttle.waitBefore("LAWYER", "198.51.100.7", start)).as("per user name, whatever the address").hasValue(Duration.ofMinutes(1));
        throttle.failed("lawyer", "192.0.2.1", start.plusSeconds(61));
        assertThat(throttle.waitBefore("lawyer", "192.0.2.1", start.plusSeconds(61))).hasValue(Duration.ofMinutes(2));
        for (int i = 0; i < 20; i++) {
            throttle.failed("lawyer", "192.0.2.1", start.plusSeconds(200));
        }
        assertThat(throttle.waitBefore("lawyer", "192.0.2.1", start.plusSeconds(200))).hasValue(Duration.ofHours(1));
        assertThat(throttle.waitBefore("lawyer", "192.0.2.1", start.plusSeconds(200).plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void oneAddressTryingManyUserNamesIsSlowedToo() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("user" + i, "203.0.113.9", start);
        }
        assertThat(throttle.waitBefore("someone-else", "203.0.113.9", start)).isPresent();
        assertThat(throttle.waitBefore("someone-else", "203.0.113.10", start)).isEmpty();
    }

    @Test
    void successClearsTheUserNameAndQuietTimeForgetsOldFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("worker", "192.0.2.1", start);
        }
        throttle.succeeded("worker");
        throttle.failed("worker", "192.0.2.1", start);
        assertThat(throttle.waitBefore("worker", "192.0.2.2", start)).isEmpty();
        for (int i = 0; i < 4; i++) {
            throttle.failed("clerk", "192.0.2.3", start);
        }
        throttle.failed("clerk", "192.0.2.3", start.plus(Duration.ofHours(3)));
        assertThat(throttle.waitBefore("clerk", "192.0.2.4", start.plus(Duration.ofHours(3)))).as("earlier failures forgotten").isEmpty();
    }
}
