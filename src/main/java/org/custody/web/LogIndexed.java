package org.custody.web;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.custody.log.Recorded;

/** Write responses: every one names the log entry that records it in a {@code Log-Index} header. */
public final class LogIndexed {
    public static final String HEADER = "Log-Index";

    private LogIndexed() {}

    public static Response created(URI location, Recorded<?> recorded) {
        return Response.created(location).entity(recorded.value()).header(HEADER, recorded.logIndex()).build();
    }

    public static Response created(URI location, Recorded<?> recorded, Object entity, long version) {
        return Response.created(location).entity(entity).tag(ETags.of(version)).header(HEADER, recorded.logIndex()).build();
    }

    public static Response ok(Recorded<?> recorded, Object entity, long version) {
        return Response.ok(entity).tag(ETags.of(version)).header(HEADER, recorded.logIndex()).build();
    }

    public static Response ok(Recorded<?> recorded) {
        return Response.ok(recorded.value()).header(HEADER, recorded.logIndex()).build();
    }

    /** Accepted: recorded, and awaiting a further step before it takes effect. */
    public static Response accepted(Recorded<?> recorded) {
        return Response.accepted(recorded.value()).header(HEADER, recorded.logIndex()).build();
    }

    public static Response noContent(Recorded<?> recorded) {
        return Response.noContent().header(HEADER, recorded.logIndex()).build();
    }
}
