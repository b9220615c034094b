package org.custody.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-maintained OpenAPI 3 description; a test checks it against the registered resources. */
@Path("/api/v1/openapi.json")
public final class OpenApiResource {
    public static final String LOCATION = "/openapi.json";
    private final byte[] document;

    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is missing from the classpath");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] openApi() {
        return document.clone();
    }
}
