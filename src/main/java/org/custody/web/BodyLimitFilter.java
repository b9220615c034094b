package org.custody.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over the limit (413): when Content-Length says so, and while reading when a chunked body
 * runs past it; a large body is never buffered. The rest of an oversized body (up to {@link #DRAIN_LIMIT}) is read
 * and discarded before answering, because an HTTP/1.1 client still sending its body would otherwise see the
 * connection reset instead of the 413. It runs before the request is matched to a resource, so a body is refused
 * the same way whatever else is wrong with the request (unknown path, wrong method or media type, no token).
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter {
    static final long DRAIN_LIMIT = 32L * 1024 * 1024;
    /** The request property that holds a request's {@link Limited} body, for {@link #drainRest}. */
    private static final String BODY = BodyLimitFilter.class.getName() + ".body";
    private final long maxBytes;

    public BodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String declared = request.getHeaderString(jakarta.ws.rs.core.HttpHeaders.CONTENT_LENGTH);
        if (request.getLength() > maxBytes || (declared != null && declared.length() > 18) || (declared != null && declared.matches("\\d+") && Long.parseLong(declared) > maxBytes)) {
            throw new BodyTooLargeException(maxBytes, drain(request.getEntityStream()));
        }
        if (request.hasEntity()) {
            Limited body = new Limited(request.getEntityStream(), maxBytes);
            request.setEntityStream(body);
            request.setProperty(BODY, body);
        }
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
     * when it runs on past the limit or the client went away (then the connection cannot be used again).
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
        } catch (IOException e) {
            return false;
        }
    }

    /** A request body over the limit; {@code drained} when the rest of it was read, so the connection can be reused. */
    public static final class BodyTooLargeException extends RuntimeException {
        private final boolean drained;

        public BodyTooLargeException(long maxBytes, boolean drained) {
            super("The request body is larger than " + maxBytes + " bytes", null, false, false);
            this.drained = drained;
        }

        public boolean drained() {
            return drained;
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
                count(1);
            } else {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
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

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                ended = drain(in);
                throw new BodyTooLargeException(maxBytes, ended);
            }
        }
    }
}
