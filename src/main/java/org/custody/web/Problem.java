package org.custody.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.custody.common.InvalidInputException.FieldError;

/**
 * An RFC 9457 problem detail: every error this service returns has this shape and the media type
 * {@code application/problem+json}. {@code errors} lists each invalid field; {@code allowed} lists what
 * would have been accepted (status transitions).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors, List<String> allowed) {
    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public static Problem of(String type, String title, int status, String detail) {
        return new Problem("/problems/" + type, title, status, detail, null, null);
    }

    public Response.ResponseBuilder response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }
}
