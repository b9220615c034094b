package org.custody.web;

import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Refuses a session token in the URL. Dropwizard's bearer filter also takes one from the query parameter
 * {@code access_token}, but a URL is kept where a header is not: in proxies' logs, browsers' histories and the
 * {@code Referer} of the next page (RFC 6750 §2.3 advises against it). A token is taken from the
 * {@code Authorization} header only, and a request that carries one in its URL is refused before it is authenticated,
 * even when its header is right, so that the client learns to stop.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class TokenInUrlFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getQueryParameters().containsKey(OAuthCredentialAuthFilter.OAUTH_ACCESS_TOKEN_PARAM)) {
            request.abortWith(Problem.of("token-in-url", "Token in the URL", 400,
                    "A session token is never taken from the URL, where logs and histories keep it: send it as 'Authorization: Bearer <token>'"
                            + " (and sign out the session whose token was sent this way)").response().build());
        }
    }
}
