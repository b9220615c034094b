package org.custody.common;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The pace a client must keep while the service waits for it: a bundle's download, which holds a turn at building
 * bundles until its last byte is written, and a request's body, which holds a server thread until its last byte is
 * read. A client that moves a byte now and then keeps what it holds for as long as it likes; Jetty's idle timeout ends
 * only one that stops altogether.
 *
 * <p>Only the time spent waiting for the client counts (inside the connection's reads or writes), never the service's
 * own work between them. Once that waiting passes {@code grace} in all, a client that has moved, on average over it,
 * fewer than {@code minBytesPerSecond} bytes a second has fallen below the pace. The check runs when a read or write
 * returns; one that waits without end is Jetty's idle timeout's to end.
 */
public final class ClientPace {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long minBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoTime;

    /** {@code minBytesPerSecond} 0: no minimum (bytes and waiting are still counted). */
    public ClientPace(long minBytesPerSecond, Duration grace, LongSupplier nanoTime) {
        if (minBytesPerSecond < 0 || grace.isNegative()) {
            throw new IllegalArgumentException("a pace and its grace are not negative");
        }
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
        this.nanoTime = nanoTime;
    }

    public ClientPace(long minBytesPerSecond, Duration grace) {
        this(minBytesPerSecond, grace, System::nanoTime);
    }

    /** The clock waits are measured on. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** A meter for one connection's stream. */
    public Meter meter() {
        return new Meter();
    }

    /** {@code a × b < c × d}, exactly, for numbers that are not negative (their products may need more than 64 bits). */
    static boolean productLess(long a, long b, long c, long d) {
        long high = Math.multiplyHigh(a, b);
        long otherHigh = Math.multiplyHigh(c, d);
        return high != otherHigh ? high < otherHigh : Long.compareUnsigned(a * b, c * d) < 0;
    }

    /** The bytes one stream moved and the time it waited for its client. */
    public final class Meter {
        private long bytes;
        private long waitedNanos;

        private Meter() {}

        /**
         * Counts {@code moved} bytes that took {@code waited} nanoseconds; returns what the client fell short by, when it
         * is now below the pace past the grace, or null.
         */
        public String add(long waited, long moved) {
            waitedNanos += waited;
            bytes += moved;
            if (minBytesPerSecond > 0 && waitedNanos > graceNanos && productLess(bytes, SECOND, minBytesPerSecond, waitedNanos)) {
                return String.format(Locale.ROOT, "the client moved %d bytes in the %.1f s spent waiting for it, under the minimum of %d a second",
                        bytes, waitedNanos / (double) SECOND, minBytesPerSecond);
            }
            return null;
        }

        /** Bytes moved so far. */
        public long bytes() {
            return bytes;
        }
    }
}
