package org.custody.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over the limit (413): when Content-Length says so, and while reading when a chunked body
 * runs past it; a large body is never buffered. The rest of an oversized body (up to {@link #DRAIN_LIMIT}) is read
 * and discarded before answering, because an HTTP/1.1 client still sending its body would otherwise see the
 * connection reset instead of the 413.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter {
    static final long DRAIN_LIMIT = 32L * 1024 * 1024;
    private final long maxBytes;

    public BodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String declared = request.getHeaderString(jakarta.ws.rs.core.HttpHeaders.CONTENT_LENGTH);
        if (request.getLength() > maxBytes || (declared != null && declared.length() > 18) || (declared != null && declared.matches("\\d+") && Long.parseLong(declared) > maxBytes)) {
            drain(request.getEntityStream());
            throw new BodyTooLargeException(maxBytes);
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream(), maxBytes));
        }
    }

    private static void drain(InputStream body) {
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        try {
            int n;
            while (drained < DRAIN_LIMIT && (n = body.read(buffer)) > 0) {
                drained += n;
            }
        } catch (IOException ignored) {
            // the client went away; the 413 is all that is left to say
        }
    }

    /** A request body over the limit. */
    public static final class BodyTooLargeException extends RuntimeException {
        public BodyTooLargeException(long maxBytes) {
            super("The request body is larger than " + maxBytes + " bytes", null, false, false);
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long maxBytes;
        private long read;

        Limited(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                drain(in);
                throw new BodyTooLargeException(maxBytes);
            }
        }
    }
}
