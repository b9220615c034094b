package org.custody.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads what is left of a request body before the answer goes out, when the answer was made without reading it all:
 * a request refused before its body mattered (an id in the path that names nothing, no token, a forbidden role), or
 * a JSON value followed by more bytes. Jetty would otherwise close the connection after answering, without saying so,
 * whenever the rest of the body had not yet arrived, and a client that reused the connection got no answer to its
 * next request (HostileInputProperties met it in CI). When the rest cannot be read (past
 * {@link BodyLimitFilter#DRAIN_LIMIT}, or the client went away), the answer says {@code Connection: close}.
 */
@Provider
public final class UnreadBodyFilter implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getHeaders().containsKey("Connection")) {
            return; // the answer already closes the connection (a body over the limit that could not be drained)
        }
        if (!BodyLimitFilter.drainRest(request)) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }
}
