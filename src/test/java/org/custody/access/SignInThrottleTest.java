package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final SignInThrottle throttle = new SignInThrottle(5, 20, Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    void afterTheLimitEachFailureDoublesTheWaitUpToTheCeiling() {
        for (int i = 0; i < 4; i++) {
            fail("Lawyer", "192.0.2.1", start);
        }
        assertThat(waitBefore("lawyer", "192.0.2.1", start)).isNull();
        fail("lawyer", "192.0.2.1", start);
        assertThat(waitBefore("LAWYER", "198.51.100.7", start)).as("per user name, whatever the address").isEqualTo(Duration.ofMinutes(1));
        fail("lawyer", "192.0.2.1", start.plusSeconds(61));
        assertThat(waitBefore("lawyer", "192.0.2.1", start.plusSeconds(61))).isEqualTo(Duration.ofMinutes(2));
        for (int i = 0; i < 20; i++) {
            // each waited out: a refused attempt is no failure
            fail("lawyer", "192.0.2.1", start.plus(Duration.ofHours(1 + i)));
        }
        Instant late = start.plus(Duration.ofHours(20));
        assertThat(waitBefore("lawyer", "192.0.2.2", late)).isEqualTo(Duration.ofHours(1));
        assertThat(waitBefore("lawyer", "192.0.2.2", late.plus(Duration.ofHours(1)))).isNull();
    }

    @Test
    void oneAddressTryingManyUserNamesIsSlowedToo() {
        for (int i = 0; i < 20; i++) {
            fail("user" + i, "203.0.113.9", start);
        }
        assertThat(waitBefore("someone-else", "203.0.113.9", start)).isNotNull();
        assertThat(waitBefore("someone-else", "203.0.113.10", start)).isNull();
    }

    @Test
    void successClearsTheUserNameAndQuietTimeForgetsOldFailures() {
        for (int i = 0; i < 4; i++) {
            fail("worker", "192.0.2.1", start);
        }
        throttle.begin("worker", "192.0.2.1", start).succeeded();
        fail("worker", "192.0.2.1", start);
        assertThat(waitBefore("worker", "192.0.2.2", start)).isNull();
        for (int i = 0; i < 4; i++) {
            fail("clerk", "192.0.2.3", start);
        }
        fail("clerk", "192.0.2.3", start.plus(Duration.ofHours(3)));
        assertThat(waitBefore("clerk", "192.0.2.4", start.plus(Duration.ofHours(3)))).as("earlier failures forgotten").isNull();
    }

    /** A thousand guesses sent at once must not all be checked before the first of them fails. */
    @Test
    void attemptsUnderWayCountAsIfTheyWillFail() {
        List<SignInThrottle.Attempt> running = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            running.add(throttle.begin("target", "192.0.2." + i, start));
        }
        assertThat(waitBefore("target", "192.0.2.99", start)).as("five under way, none failed yet").isEqualTo(Duration.ofSeconds(1));
        running.get(0).failed(start);
        running.get(1).failed(start);
        assertThat(waitBefore("target", "192.0.2.99", start)).as("two failed and three under way").isNotNull();
        running.get(2).close();
        SignInThrottle.Attempt sixth = throttle.begin("target", "192.0.2.99", start);
        assertThat(waitBefore("target", "192.0.2.98", start)).isNotNull();
        running.get(3).failed(start);
        running.get(4).failed(start);
        sixth.failed(start);
        assertThat(waitBefore("target", "192.0.2.98", start)).as("five failed: the ordinary refusal").isEqualTo(Duration.ofMinutes(1));

        Instant later = start.plus(Duration.ofMinutes(1));
        SignInThrottle.Attempt afterTheWait = throttle.begin("target", "192.0.2.98", later);
        assertThat(waitBefore("target", "192.0.2.97", later)).as("past the limit, one at a time").isEqualTo(Duration.ofSeconds(1));
        afterTheWait.succeeded();
        for (int i = 0; i < 5; i++) {
            throttle.begin("target", "192.0.2.97", later);
        }
        assertThat(waitBefore("target", "192.0.2.97", later)).as("a success clears the failures, not the attempts under way").isNotNull();
    }

    @Test
    void oneAddressMayHaveAsManyAttemptsUnderWayAsItMayStillFail() {
        for (int i = 0; i < 15; i++) {
            fail("name" + i, "203.0.113.9", start);
        }
        for (int i = 0; i < 5; i++) {
            throttle.begin("other" + i, "203.0.113.9", start);
        }
        assertThat(waitBefore("one-more", "203.0.113.9", start)).isEqualTo(Duration.ofSeconds(1));
        assertThat(waitBefore("one-more", "203.0.113.10", start)).as("another address").isNull();
        assertThat(waitBefore("one-more", null, start)).as("no address (a password change)").isNull();
    }

    @Test
    void anAttemptEndsOnceWhateverIsCalledAfter() {
        SignInThrottle.Attempt attempt = throttle.begin("clerk", "192.0.2.1", start);
        attempt.failed(start);
        attempt.failed(start);
        attempt.close();
        for (int i = 0; i < 3; i++) {
            fail("clerk", "192.0.2.1", start);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(waitBefore("clerk", "192.0.2.1", start)).as("four failures; an attempt closed without a verdict is none").isNull();
        }
        fail("clerk", "192.0.2.1", start);
        assertThat(waitBefore("clerk", "192.0.2.1", start)).isEqualTo(Duration.ofMinutes(1));
    }

    private void fail(String username, String address, Instant now) {
        throttle.begin(username, address, now).failed(now);
    }

    /** The wait a new attempt is refused with, or null when it may start (it is then ended without a verdict). */
    private Duration waitBefore(String username, String address, Instant now) {
        try (SignInThrottle.Attempt attempt = throttle.begin(username, address, now)) {
            return null;
        } catch (TooManyAttemptsException refused) {
            return Duration.ofSeconds(refused.retryAfterSeconds());
        }
    }

    @Test
    void aRefusalSaysHowLongToWait() {
        for (int i = 0; i < 5; i++) {
            fail("lawyer", "192.0.2.1", start);
        }
        assertThatThrownBy(() -> throttle.begin("lawyer", "192.0.2.1", start.plusSeconds(20)))
                .isInstanceOfSatisfying(TooManyAttemptsException.class, refused -> assertThat(refused.retryAfterSeconds()).isEqualTo(40));
    }
}
