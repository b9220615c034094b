package org.custody.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;
import org.custody.common.ClientPace;

/**
 * The pace a client must keep while a bundle is built for it ({@link ClientPace}): a bundle holds one of the few turns
 * at building bundles until its last byte is written. A client below the pace is cut off: the write fails with
 * {@link TooSlow}. After that, or after the connection's own failure, every later write, flush or close fails the same
 * way, so that nothing further is sent and the bundle is never closed as if it were whole.
 */
public final class DownloadPace {
    private final ClientPace pace;
    private final LongAdder cut = new LongAdder();

    public DownloadPace(ClientPace pace) {
        this.pace = pace;
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

    /** The connection's stream, with what it took and how long it kept the bundle waiting, and how it failed. */
    final class Watched extends OutputStream {
        private final OutputStream out;
        private final ClientPace.Meter meter = pace.meter();
        private IOException failure;

        private Watched(OutputStream out) {
            this.out = out;
        }

        /** Bytes the connection has taken (some may still be in its buffers). */
        long written() {
            return meter.bytes();
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
            return pace.nanoTime();
        }

        private IOException failed(IOException e) {
            failure = e;
            return e;
        }

        private void after(long start, int bytes) throws IOException {
            String shortfall = meter.add(pace.nanoTime() - start, bytes);
            if (shortfall != null) {
                cut.increment();
                throw failed(new TooSlow(shortfall));
            }
        }
    }
}
