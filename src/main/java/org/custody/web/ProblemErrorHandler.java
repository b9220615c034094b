package org.custody.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before any resource sees the request (a path with an encoded slash, a malformed
 * URI, a bad header): problem+json like every other error, with the status's reason as title and nothing from the
 * request echoed back. Every such answer says {@code Connection: close}: Jetty has given up on the request (its
 * body reads as empty here) and closes the connection after answering, and a client not told so would send its next
 * request down the closed connection.
 */
public final class ProblemErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    /** Answers every error Jetty raises (and the servlet container's sendError) with a problem body, whatever the method. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, BufferUtil.toBuffer(problem(status), StandardCharsets.UTF_8), callback);
        return true;
    }

    /** A request the HTTP parser refused outright: Jetty sends this body and closes the connection. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put("X-Content-Type-Options", "nosniff");
        return BufferUtil.toBuffer(problem(status), StandardCharsets.UTF_8);
    }

    private static String problem(int status) {
        return "{\"type\":\"/problems/" + (status == 404 ? "not-found" : status < 500 ? "bad-request" : "server-error") + "\",\"title\":\""
                + HttpStatus.getMessage(status).replace("\"", "") + "\",\"status\":" + status
                + ",\"detail\":\"The request was refused before it reached the service: check its path, headers and encoding\"}";
    }
}
