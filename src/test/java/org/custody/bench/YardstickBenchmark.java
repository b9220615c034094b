package org.custody.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The machine's speed over a while, alone: {@link Yardstick} every {@code bench.yardstickPause} seconds (default 30),
 * {@code bench.yardstickRounds} times (default 5). Run it between benchmark runs, or beside nothing, to see how far
 * this machine's speed wanders: {@code mvn -B test -Pbench -Dtest=YardstickBenchmark}.
 */
class YardstickBenchmark {
    @Test
    void measure() throws InterruptedException {
        int rounds = Integer.getInteger("bench.yardstickRounds", 5);
        long pauseMillis = Long.getLong("bench.yardstickPause", 30) * 1000;
        System.out.println("Machine: " + Machine.describe());
        for (int i = 0; i < rounds; i++) {
            if (i > 0) {
                Thread.sleep(pauseMillis);
            }
            Yardstick.Figures figures = Yardstick.measure();
            assertThat(figures.total()).isPositive();
            System.out.println(figures.describe("at " + Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        }
    }
}
