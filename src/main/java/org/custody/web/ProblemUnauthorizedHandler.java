package org.custody.web;

import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** A missing, unknown or expired token: 401 as problem+json with the Bearer challenge. */
public final class ProblemUnauthorizedHandler implements UnauthorizedHandler {
    @Override
    public Response buildResponse(String prefix, String realm) {
        return Problem.of("unauthorized", "Unauthorized", 401, "Sign in and send the token as 'Authorization: Bearer <token>'")
                .response()
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .build();
    }
}
