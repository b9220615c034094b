package org.custody.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The pace a client must keep while a bundle is built for it. A bundle holds one of the few turns at building bundles
 * until its last byte is written, so a client that reads a byte now and then (a script left running, a deliberate
 * trickle) would keep everyone else's downloads waiting for as long as it liked; Jetty's idle timeout ends only a
 * client that stops reading altogether.
 *
 * <p>Only the time the bundle spends waiting for its client counts: the time inside the connection's writes, not the
 * service's own work between them (reading the log, replaying cases). Once that waiting passes {@code grace} in all, a
 * client that has taken, on average over it, fewer than {@code minBytesPerSecond} bytes a second is cut off: the write
 * fails with {@link TooSlow}. After that, or after the connection's own failure, every later write, flush or close fails
 * the same way, so that nothing further is sent and the bundle is never closed as if it were whole. The check runs when a write returns; a write that waits without end is
 * Jetty's idle timeout's to end.
 */
public final class DownloadPace {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long minBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    private final LongAdder cut = new LongAdder();

    /** {@code minBytesPerSecond} 0: no minimum (bytes are still counted). */
    DownloadPace(long minBytesPerSecond, Duration grace, LongSupplier nanoTime) {
        if (minBytesPerSecond < 0 || grace.isNegative()) {
            throw new IllegalArgumentException("a pace and its grace are not negative");
        }
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
        this.nanoTime = nanoTime;
    }

    public DownloadPace(long minBytesPerSecond, Duration grace) {
        this(minBytesPerSecond, grace, System::nanoTime);
    }

    /** {@code a × b < c × d}, exactly, for numbers that are not negative (their products may need more than 64 bits). */
    static boolean productLess(long a, long b, long c, long d) {
        long high = Math.multiplyHigh(a, b);
        long otherHigh = Math.multiplyHigh(c, d);
        return high != otherHigh ? high < otherHigh : Long.compareUnsigned(a * b, c * d) < 0;
    }

    /** {@code out}, watched: one stream per download. */
    Watched watch(OutputStream out) {
        return new Watched(out);
    }

    /** How many downloads were cut off for reading too slowly (a metric). */
    public long cut() {
        return cut.sum();
    }

    /** A download cut off because its client read too slowly; the response must be aborted, not completed. */
    static final class TooSlow extends IOException {
        TooSlow(String message) {
            super(message);
        }
    }

    /** The connection's stream, with the bytes it took, the time it kept the bundle waiting, and how it failed. */
    final class Watched extends OutputStream {
        private final OutputStream out;
        private long written;
        private long waitedNanos;
        private IOException failure;

        private Watched(OutputStream out) {
            this.out = out;
        }

        /** Bytes the connection has taken (some may still be in its buffers). */
        long written() {
            return written;
        }

        /**
         * Why the connection took no more: its own failure (the client went away, or stopped reading until Jetty's idle
         * timeout) or {@link TooSlow}; null while it takes what it is given. A failure with none here is the service's own.
         */
        IOException failure() {
            return failure;
        }

        @Override
        public void write(int b) throws IOException {
            long start = before();
            try {
                out.write(b);
            } catch (IOException e) {
                throw failed(e);
            }
            after(start, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            long start = before();
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw failed(e);
            }
            after(start, length);
        }

        @Override
        public void flush() throws IOException {
            long start = before();
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
            after(start, 0);
        }

        @Override
        public void close() throws IOException {
            if (failure != null) {
                throw failure;
            }
            out.close();
        }

        private long before() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return nanoTime.getAsLong();
        }

        private IOException failed(IOException e) {
            failure = e;
            return e;
        }

        private void after(long start, int bytes) throws IOException {
            waitedNanos += nanoTime.getAsLong() - start;
            written += bytes;
            if (minBytesPerSecond > 0 && waitedNanos > graceNanos && productLess(written, SECOND, minBytesPerSecond, waitedNanos)) {
                cut.increment();
                throw failed(new TooSlow(String.format(Locale.ROOT, "the client took %d bytes in the %.1f s the bundle waited for it, under the minimum of %d a second",
                        written, waitedNanos / (double) SECOND, minBytesPerSecond)));
            }
        }
    }
}
