package org.custody.web;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.custody.common.Failures;
import org.eclipse.jetty.http.BadMessageException;

/**
 * A request body refused as it is read, with the problem its client is told: too large (413), in a coding not
 * decoded here (415), not received whole (408, 400), or waiting where too many already wait (429, 503), and the
 * headers the answer carries besides. {@code drained}: the rest of the body was read, so the connection can serve
 * another request; otherwise the answer closes it.
 */
public final class BodyRefusedException extends RuntimeException {
    private static final Map<String, String> ASK_AGAIN_SHORTLY = Map.of(HttpHeaders.RETRY_AFTER, "1");
    private final transient Problem problem;
    private final boolean drained;
    private final transient Map<String, String> headers;

    private BodyRefusedException(Problem problem, boolean drained) {
        this(problem, drained, Map.of());
    }

    private BodyRefusedException(Problem problem, boolean drained, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.drained = drained;
        this.headers = headers;
    }

    static BodyRefusedException tooLarge(long maxBytes, boolean drained) {
        return new BodyRefusedException(Problem.of("body-too-large", "Payload too large", 413, "The request body is larger than " + maxBytes + " bytes"),
                drained);
    }

    /** A body in a content coding other than gzip, the one Jetty decodes (RFC 9110, 15.5.16). */
    static BodyRefusedException unsupportedCoding(boolean drained) {
        return new BodyRefusedException(Problem.of("unsupported-content-encoding", "Unsupported content encoding", 415,
                "The body's Content-Encoding is not accepted here; send it as it is, or as gzip"), drained,
                Map.of(HttpHeaders.ACCEPT_ENCODING, "gzip"));
    }

    /**
     * A body in a transfer coding besides chunked, which Jetty passes on without undoing. RFC 9112 (6.1) suggests 501;
     * 400, as Jetty answers a Transfer-Encoding that does not end in chunked: the client's request, not the service,
     * is at fault, and a 5xx here would read as the service's failure.
     */
    static BodyRefusedException unsupportedTransferCoding() {
        return new BodyRefusedException(Problem.of("unsupported-transfer-encoding", "Bad request", 400,
                "The body's Transfer-Encoding is not accepted here; send it chunked, or with a Content-Length"), false);
    }

    static BodyRefusedException tooManyValues(int maxValues, boolean drained) {
        return new BodyRefusedException(Problem.of("body-too-large", "Payload too large", 413,
                "The request body holds more than " + maxValues + " values (array elements and object members)"), drained);
    }

    static BodyRefusedException tooManyWaitingFromAddress() {
        return new BodyRefusedException(Problem.of("too-many-waiting-bodies", "Too many requests", 429,
                "Too many of this client's requests are waiting to send their bodies"), false, ASK_AGAIN_SHORTLY);
    }

    static BodyRefusedException tooManyWaiting() {
        return new BodyRefusedException(Problem.of("unavailable", "Service unavailable", 503,
                "Too many requests are waiting to send their bodies; try again shortly"), false, ASK_AGAIN_SHORTLY);
    }

    static BodyRefusedException tooSlow() {
        return new BodyRefusedException(Problem.of("body-timeout", "Request timeout", 408,
                "The request body did not arrive in time: it paused too long, or came too slowly"), false);
    }

    /** The client's failure to send the body: it paused too long (408), or it broke off or sent a broken body (400). */
    static BodyRefusedException notReceived(Throwable failure) {
        return Failures.anyCause(failure, cause -> cause instanceof TimeoutException || cause instanceof BadMessageException bad && bad.getCode() == 408)
                ? tooSlow()
                : new BodyRefusedException(Problem.of("body-incomplete", "Incomplete body", 400, "The request body ended before it was complete"), false);
    }

    public Problem problem() {
        return problem;
    }

    public boolean drained() {
        return drained;
    }

    /** When to ask again, where waiting helps; which codings a body may come in, where its coding was refused. */
    public Map<String, String> headers() {
        return headers;
    }
}
