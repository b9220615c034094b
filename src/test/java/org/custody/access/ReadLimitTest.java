package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Each user's allowance of records shown: a burst at once, then a steady rate; nobody else's reads count against it. */
class ReadLimitTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private final UUID reader = UUID.randomUUID();

    @Test
    void aBurstIsAllowedAtOnceThenTheRate() {
        ReadLimit limit = new ReadLimit(10, 100);
        assertThat(limit.take(reader, 100, T0)).isEmpty();
        Optional<ReadLimit.Refusal> refused = limit.take(reader, 5, T0);
        assertThat(refused).isPresent();
        assertThat(refused.get().retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(limit.take(reader, 5, T0.plusMillis(499))).as("not yet refilled").isPresent();
        assertThat(limit.take(reader, 5, T0.plusMillis(500))).isEmpty();
        assertThat(limit.take(reader, 1, T0.plusMillis(500))).isPresent();
        assertThat(limit.refusals()).isEqualTo(3);
    }

    @Test
    void aRefusedRequestTakesNothing() {
        ReadLimit limit = new ReadLimit(10, 100);
        assertThat(limit.take(reader, 95, T0)).isEmpty();
        assertThat(limit.take(reader, 50, T0)).as("more than is left").isPresent();
        assertThat(limit.take(reader, 5, T0)).as("what was left is still there").isEmpty();
    }

    @Test
    void usersHaveAllowancesOfTheirOwn() {
        ReadLimit limit = new ReadLimit(1, 10);
        assertThat(limit.take(reader, 10, T0)).isEmpty();
        assertThat(limit.take(reader, 1, T0)).isPresent();
        assertThat(limit.take(UUID.randomUUID(), 10, T0)).isEmpty();
    }

    @Test
    void aRequestLargerThanTheBurstIsAllowedFromAFullAllowanceAndPaidBackAtTheRate() {
        ReadLimit limit = new ReadLimit(10, 100);
        assertThat(limit.take(reader, 150, T0)).as("a page larger than the burst, from a full allowance").isEmpty();
        Optional<ReadLimit.Refusal> refused = limit.take(reader, 1, T0.plusSeconds(5));
        assertThat(refused).as("50 below zero, refilled by 50: nothing left yet").isPresent();
        assertThat(refused.get().retryAfter()).isEqualTo(Duration.ofMillis(100));
        assertThat(limit.take(reader, 150, T0.plusSeconds(10))).as("half full").isPresent();
        assertThat(limit.take(reader, 150, T0.plusSeconds(15))).as("full again").isEmpty();
    }

    @Test
    void theFirstRefusalInAMinuteIsToBeNotedAndNoOtherUntilTheMinuteHasPassed() {
        ReadLimit limit = new ReadLimit(1, 1);
        limit.take(reader, 1, T0);
        assertThat(limit.take(reader, 1, T0).orElseThrow().noteDue()).isTrue();
        assertThat(limit.take(reader, 1, T0.plusMillis(10)).orElseThrow().noteDue()).isFalse();
        Instant later = T0.plus(ReadLimit.NOTE_EVERY).minusMillis(1);
        limit.take(reader, 1, later);
        assertThat(limit.take(reader, 1, later).orElseThrow().noteDue()).isFalse();
        assertThat(limit.take(reader, 1, T0.plus(ReadLimit.NOTE_EVERY)).orElseThrow().noteDue()).as("a minute after the last note").isTrue();
    }

    @Test
    void noRateMeansNoLimit() {
        ReadLimit limit = new ReadLimit(0, 1);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.take(reader, 200, T0)).isEmpty();
        }
        assertThat(limit.refusals()).isZero();
    }

    @Test
    void aClockThatGoesBackRefillsNothing() {
        ReadLimit limit = new ReadLimit(10, 10);
        assertThat(limit.take(reader, 10, T0)).isEmpty();
        assertThat(limit.take(reader, 1, T0.minusSeconds(60))).isPresent();
        assertThat(limit.take(reader, 1, T0.plusMillis(99))).as("still measured from the later instant").isPresent();
        assertThat(limit.take(reader, 1, T0.plusMillis(100))).isEmpty();
    }

    @Test
    void fullAllowancesAreForgottenSoManyUsersDoNotFillTheMemory() {
        ReadLimit limit = new ReadLimit(1, 5);
        for (int i = 0; i < 5000; i++) {
            limit.take(UUID.randomUUID(), 1, T0.plusSeconds(10L * i));
        }
        assertThat(limit.remembered()).isLessThanOrEqualTo(1025);
        assertThat(limit.take(reader, 5, T0)).isEmpty();
        assertThat(limit.take(reader, 1, T0)).as("a user still reading is remembered").isPresent();
    }

    /**
     * Whatever the requests and however they are spaced, no user is shown, between any two instants, more than the
     * burst plus the rate times the time between them; and a refusal's wait is enough: the same request, sent again
     * after it, is allowed.
     */
    @Property(tries = 300)
    void neverMoreThanTheBurstAndTheRateAndTheWaitIsEnough(@ForAll @IntRange(min = 1, max = 50) int perSecond,
                                                          @ForAll @IntRange(min = 1, max = 500) int burst,
                                                          @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 1, max = 500) Integer> requests,
                                                          @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 3000) Integer> gapsMillis) {
        ReadLimit limit = new ReadLimit(perSecond, burst);
        Instant now = T0;
        List<Instant> times = new ArrayList<>();
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            now = now.plusMillis(gapsMillis.get(i % gapsMillis.size()));
            int records = Math.min(requests.get(i), burst);
            Optional<ReadLimit.Refusal> refusal = limit.take(reader, records, now);
            if (refusal.isPresent()) {
                assertThat(refusal.get().retryAfter()).isPositive();
                now = now.plus(refusal.get().retryAfter());
                assertThat(limit.take(reader, records, now)).as("allowed once the wait has passed").isEmpty();
            }
            times.add(now);
            shown.add(records);
        }
        for (int from = 0; from < times.size(); from++) {
            long sum = 0;
            for (int to = from; to < times.size(); to++) {
                sum += shown.get(to);
                double seconds = Duration.between(times.get(from), times.get(to)).toNanos() / 1e9;
                assertThat((double) sum).as("shown from request %d to %d", from, to).isLessThanOrEqualTo(burst + perSecond * seconds + 1e-6);
            }
        }
    }
}
