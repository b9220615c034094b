package org.custody.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.custody.common.ClientPace;
import org.junit.jupiter.api.Test;

/**
 * The pace a client must keep to go on holding a turn at building bundles: judged on the time the bundle waits for the
 * client (inside the connection's writes), never on the service's own work between them.
 */
class DownloadPaceTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int MIN = 8 * 1024;

    /** A connection on a clock of its own: each write takes the time the test says the client kept it waiting. */
    private static final class Connection extends OutputStream {
        long now;
        long nextWriteWaits;
        long received;
        boolean closed;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            now += nextWriteWaits;
            received += length;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final Connection connection = new Connection();

    private DownloadPace pace(long minBytesPerSecond, Duration grace) {
        return pace(connection, minBytesPerSecond, grace);
    }

    private static DownloadPace pace(Connection connection, long minBytesPerSecond, Duration grace) {
        return new DownloadPace(new ClientPace(minBytesPerSecond, grace, () -> connection.now));
    }

    @Test
    void aClientThatKeepsThePaceIsNeverCutOff() throws IOException {
        DownloadPace pace = pace(MIN, Duration.ofSeconds(1));
        DownloadPace.Watched out = pace.watch(connection);
        connection.nextWriteWaits = SECOND / 2; // 8 KiB in half a second: twice the minimum
        for (int i = 0; i < 1_000; i++) {
            out.write(new byte[MIN], 0, MIN);
        }
        out.close();
        assertThat(out.written()).isEqualTo(1_000L * MIN);
        assertThat(connection.closed).isTrue();
        assertThat(pace.cut()).isZero();
    }

    @Test
    void aSlowerClientIsCutOffAtTheFirstWriteAfterTheGraceAndNothingMoreIsSent() throws IOException {
        DownloadPace pace = pace(MIN, Duration.ofSeconds(5));
        DownloadPace.Watched out = pace.watch(connection);
        connection.nextWriteWaits = SECOND; // 1 KiB a second
        for (int i = 0; i < 5; i++) {
            out.write(new byte[1024]); // five seconds of waiting: the grace, not past it
        }
        assertThatThrownBy(() -> out.write(new byte[1024])).isInstanceOf(DownloadPace.TooSlow.class)
                .hasMessage("the client moved 6144 bytes in the 6.0 s spent waiting for it, under the minimum of 8192 a second");
        long received = connection.received;
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(DownloadPace.TooSlow.class);
        assertThatThrownBy(out::flush).isInstanceOf(DownloadPace.TooSlow.class);
        assertThatThrownBy(out::close).as("a bundle cut off is never closed as if it were whole").isInstanceOf(DownloadPace.TooSlow.class);
        assertThat(connection.received).isEqualTo(received);
        assertThat(connection.closed).isFalse();
        assertThat(pace.cut()).isOne();
    }

    @Test
    void theServicesOwnWorkBetweenWritesDoesNotCount() throws IOException {
        DownloadPace pace = pace(MIN, Duration.ZERO);
        DownloadPace.Watched out = pace.watch(connection);
        for (int i = 0; i < 100; i++) {
            connection.now += 60 * SECOND; // a minute replaying cases, say
            out.write(new byte[16]);
        }
        assertThat(pace.cut()).isZero();
    }

    @Test
    void whatTheBuffersTookAtOnceBuysTimeButNotForever() throws IOException {
        DownloadPace pace = pace(MIN, Duration.ofSeconds(30));
        DownloadPace.Watched out = pace.watch(connection);
        out.write(new byte[2 * 1024 * 1024]); // the socket's buffers, filled without waiting
        connection.nextWriteWaits = 10 * SECOND;
        int writes = 0;
        try {
            while (true) {
                out.write(1);
                writes++;
            }
        } catch (DownloadPace.TooSlow expected) {
            // 2 MiB at 8 KiB a second is 256 seconds of waiting: cut at the write that passes them
            assertThat(writes).isEqualTo(25);
        }
    }

    @Test
    void noMinimumCutsNobodyButStillCountsTheBytes() throws IOException {
        DownloadPace pace = pace(0, Duration.ZERO);
        DownloadPace.Watched out = pace.watch(connection);
        connection.nextWriteWaits = 3_600 * SECOND;
        out.write(new byte[10]);
        out.write(new byte[10]);
        assertThat(out.written()).isEqualTo(20);
        assertThat(pace.cut()).isZero();
    }

    /** Whatever the writes' sizes and the service's pauses, a client that takes each write at the minimum or faster keeps its download. */
    @Property(tries = 300)
    void aClientAtTheMinimumOrFasterIsNeverCutOff(@ForAll @IntRange(min = 1, max = 1 << 20) int minBytesPerSecond,
                                                  @ForAll @IntRange(min = 0, max = 60) int graceSeconds,
                                                  @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 1, max = 1 << 16) Integer> writes,
                                                  @ForAll @IntRange(min = 1, max = 100) int percentOfTheLongestWait,
                                                  @ForAll @IntRange(min = 0, max = 5_000) int pauseMillis) throws IOException {
        Connection connection = new Connection();
        DownloadPace pace = pace(connection, minBytesPerSecond, Duration.ofSeconds(graceSeconds));
        DownloadPace.Watched out = pace.watch(connection);
        for (int bytes : writes) {
            connection.now += TimeUnit.MILLISECONDS.toNanos(pauseMillis);
            // at most the longest a write of this size may wait at the minimum pace (integer division rounds down)
            connection.nextWriteWaits = bytes * SECOND * percentOfTheLongestWait / (100L * minBytesPerSecond);
            out.write(new byte[bytes]);
        }
        assertThat(pace.cut()).isZero();
    }

    /** A client that takes every write more slowly than the minimum is cut off by the first write that passes the grace. */
    @Property(tries = 300)
    void aClientSlowerThanTheMinimumIsCutOffOnceTheGraceIsPast(@ForAll @IntRange(min = 1, max = 1 << 20) int minBytesPerSecond,
                                                               @ForAll @IntRange(min = 0, max = 60) int graceSeconds,
                                                               @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 1, max = 1 << 16) Integer> writes,
                                                               @ForAll @IntRange(min = 101, max = 1_000) int percentOfTheLongestWait) {
        Connection connection = new Connection();
        DownloadPace pace = pace(connection, minBytesPerSecond, Duration.ofSeconds(graceSeconds));
        DownloadPace.Watched out = pace.watch(connection);
        long waited = 0;
        for (int bytes : writes) {
            // longer than a write of this size may wait at the minimum pace (rounded up)
            long divisor = 100L * minBytesPerSecond;
            connection.nextWriteWaits = (bytes * SECOND * percentOfTheLongestWait + divisor - 1) / divisor;
            waited += connection.nextWriteWaits;
            if (waited > graceSeconds * SECOND) {
                assertThatThrownBy(() -> out.write(new byte[bytes])).isInstanceOf(DownloadPace.TooSlow.class);
                assertThat(pace.cut()).isOne();
                return;
            }
            try {
                out.write(new byte[bytes]);
            } catch (IOException e) {
                throw new AssertionError("cut off within the grace, after " + waited + " ns of waiting", e);
            }
        }
        assertThat(pace.cut()).as("never past the grace").isZero();
    }
}
