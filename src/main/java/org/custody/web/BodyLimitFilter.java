package org.custody.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.custody.common.ClientPace;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Refuses request bodies over the limit (413): when Content-Length says so, and while reading when a chunked or
 * decoded gzip body runs past it, or holds more than {@link #MAX_VALUES} values; a large body is never buffered. The
 * rest of an oversized body (up to {@link #DRAIN_LIMIT}) is read and discarded before answering, because an HTTP/1.1
 * client still sending its body would otherwise see the connection reset instead of the 413. It runs before the
 * request is matched to a resource, so a body is refused the same way whatever else is wrong with the request
 * (unknown path when the size is declared, wrong method or media type, no token). A body in a coding Jetty has not
 * undone, which would otherwise be read as if plain, is refused too (415, or 400 for a transfer coding).
 *
 * <p>Every read of the body from the client goes through {@link FromClient}: one that may wait for the client holds
 * one of the {@link BodyWaits} while it runs, and a body that does not arrive (the client paused past Jetty's idle timeout, sent it below the
 * {@link ClientPace} of {@code minRequestBodyRate}, or went away) is refused as the client's failure, 408 or 400, not
 * reported as the service's. (Jetty's own {@code minRequestDataPerSecond} is no use here: it counts the time since the
 * body's first byte, so a small body read a moment late under load, all of it long arrived, failed with 408.)
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter {
    static final long DRAIN_LIMIT = 32L * 1024 * 1024;
    /**
     * The most values a request body may hold, as {@link JsonValueCount} counts them: twice the longest list a
     * request carries, an export's 5,000 case ids. Each parsed value costs the heap 50–100 bytes, against two or three
     * on the wire, so without this bound a mebibyte of {@code "a",} took tens of megabytes while it was parsed and
     * validated, and a hundred such requests at once ran the service out of memory.
     */
    static final int MAX_VALUES = 10_000;
    /** The request property that holds a request's {@link Limited} body, for {@link #drainRest}. */
    private static final String BODY = BodyLimitFilter.class.getName() + ".body";
    /** The header Jetty's GzipHandler puts in place of Content-Encoding on a request whose gzip body it decodes. */
    private static final String DECODED_BY_JETTY = "X-Content-Encoding";
    private final long maxBytes;
    private final BodyWaits waits;
    private final ClientPace pace;
    @Context
    private HttpServletRequest http;

    public BodyLimitFilter(long maxBytes, BodyWaits waits, ClientPace pace) {
        this.maxBytes = maxBytes;
        this.waits = waits;
        this.pace = pace;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (request.getLength() > maxBytes || (declared != null && declared.length() > 18) || (declared != null && declared.matches("\\d+") && Long.parseLong(declared) > maxBytes)) {
            throw BodyRefusedException.tooLarge(maxBytes, drain(fromClient(request)));
        }
        // what Jetty left of the codings: it undoes chunked framing and gzip, and removes them from the headers
        if (!codings(request.getHeaderString(HttpHeaders.CONTENT_ENCODING)).stream().allMatch("identity"::equals)) {
            throw BodyRefusedException.unsupportedCoding(drain(fromClient(request)));
        }
        List<String> transfer = codings(request.getHeaderString("Transfer-Encoding"));
        if (!transfer.stream().allMatch("chunked"::equals)) {
            throw BodyRefusedException.unsupportedTransferCoding();
        }
        if (announcesBody(request, transfer)) {
            Limited body = new Limited(fromClient(request), maxBytes);
            request.setEntityStream(body);
            request.setProperty(BODY, body);
        }
    }

    /** The codings a Content-Encoding or Transfer-Encoding header lists, in lower case, without empty elements. */
    private static List<String> codings(String header) {
        return header == null ? List.of()
                : Arrays.stream(header.split(",")).map(coding -> coding.strip().toLowerCase(Locale.ROOT)).filter(coding -> !coding.isEmpty()).toList();
    }

    /**
     * Whether the client's headers announce a body: a Content-Length above zero, chunked, or a gzip body Jetty decodes.
     * Jetty's GzipHandler decodes a gzip body as it is read, and in the request it passes on drops its Content-Length
     * and puts {@code X-Content-Encoding: gzip} in place of its Content-Encoding; a body left unwrapped here would be
     * read without the limit (counted decoded: a megabyte of gzip decodes to a gigabyte), the waits or the pace. (A
     * client that sends that header itself without a body has an empty stream wrapped, no more.) Not Jersey's
     * {@code hasEntity()} either: that reads a byte to find out, and would wait for it uncounted.
     */
    private static boolean announcesBody(ContainerRequestContext request, List<String> transferCodings) {
        return request.getLength() > 0 || transferCodings.contains("chunked")
                || request.getHeaderString(DECODED_BY_JETTY) != null;
    }

    private FromClient fromClient(ContainerRequestContext request) {
        return new FromClient(request.getEntityStream(), waits, http.getRemoteAddr(), pace);
    }

    /**
     * Reads and discards what the request's handling left of its body, so that the connection can serve the next
     * request; true when the body is read to its end (or the request had none), false when it runs on past
     * {@link #DRAIN_LIMIT} or cannot be read (the connection must then close).
     */
    static boolean drainRest(ContainerRequestContext request) {
        return !(request.getProperty(BODY) instanceof Limited body) || body.drainRest();
    }

    /**
     * Reads and discards what is left of a request body, up to {@link #DRAIN_LIMIT}; true when the body ended, false
     * when it runs on past the limit or does not arrive (then the connection cannot be used again).
     */
    static boolean drain(InputStream body) {
        byte[] buffer = new byte[8 * 1024];
        long drained = 0;
        try {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                drained += n;
                if (drained > DRAIN_LIMIT) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) { // refused as it came, or not what its coding says: not reusable
            return false;
        }
    }

    /**
     * The body as the client sends it. A read that finds none of its bytes arrived may wait for the client, and holds
     * one of the {@link BodyWaits} while it runs; without one free it waits {@link #ARRIVAL_NANOS} for bytes to arrive
     * and is then refused. Jetty's failures to receive the body, and a body below the {@link ClientPace}, become
     * {@link BodyRefusedException}s.
     */
    private static final class FromClient extends FilterInputStream {
        /** How long a read without a wait looks for bytes before it is refused: far longer than a working client takes. */
        private static final long ARRIVAL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
        private final BodyWaits waits;
        private final String address;
        private final ClientPace pace;
        private final ClientPace.Meter meter;

        FromClient(InputStream in, BodyWaits waits, String address, ClientPace pace) {
            super(in);
            this.waits = waits;
            this.address = address;
            this.pace = pace;
            this.meter = pace.meter();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n;
            long start = pace.nanoTime();
            try (BodyWaits.Wait wait = waitIfNeeded()) {
                n = in.read(buffer, offset, length);
            } catch (IOException | BadMessageException e) {
                throw BodyRefusedException.notReceived(e);
            }
            if (meter.add(pace.nanoTime() - start, Math.max(n, 0)) != null) {
                throw BodyRefusedException.tooSlow();
            }
            return n;
        }

        /** A wait when the read may have to wait for the client, null when its bytes are there. */
        private BodyWaits.Wait waitIfNeeded() throws IOException {
            long deadline = System.nanoTime() + ARRIVAL_NANOS;
            while (in.available() == 0) {
                BodyWaits.Wait wait = waits.tryTake(address);
                if (wait != null) {
                    return wait;
                }
                if (System.nanoTime() > deadline) {
                    throw waits.refusal(address);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw waits.refusal(address);
                }
            }
            return null;
        }
    }

    /**
     * The body as the resource reads it: counted against the limit, and remembering whether it was read to its end.
     * Closing it leaves the server's stream open (the server ends that with the request), so that what a reader left
     * unread can still be drained before the answer goes out: Jersey closes the stream once it has read an entity,
     * whether or not the parser met the end of the body.
     */
    private static final class Limited extends FilterInputStream {
        private final long maxBytes;
        private final JsonValueCount values = new JsonValueCount(MAX_VALUES);
        private long read;
        private boolean ended;

        Limited(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(new byte[] {(byte) b}, 0, 1);
            } else {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(buffer, offset, n);
            } else if (n < 0) {
                ended = true;
            }
            return n;
        }

        @Override
        public void close() {
            // the server's stream stays open for drainRest; the server closes it when the request ends
        }

        boolean drainRest() {
            if (!ended) {
                ended = drain(in);
            }
            return ended;
        }

        private void count(byte[] buffer, int offset, int n) {
            read += n;
            if (read > maxBytes) {
                ended = drain(in);
                throw BodyRefusedException.tooLarge(maxBytes, ended);
            }
            if (!values.add(buffer, offset, n)) {
                ended = drain(in);
                throw BodyRefusedException.tooManyValues(MAX_VALUES, ended);
            }
        }
    }
}
