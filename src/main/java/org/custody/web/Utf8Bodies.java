package org.custody.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.io.PushbackInputStream;
import org.custody.common.InvalidInputException;

/**
 * A JSON body must be UTF-8 (RFC 8259 §8.1, I-JSON). Jackson reads UTF-16 and UTF-32 as well, told apart by the
 * first four bytes, so a body that a proxy or filter in front of the service reads as UTF-8 (and finds harmless) could
 * mean something else to the service. UTF-8 JSON has no 0x00 byte (a NUL inside a string must be escaped) and no 0xFE
 * or 0xFF byte at all, so those among the first four bytes, where Jackson decides, are refused with a 400.
 */
@Provider
public final class Utf8Bodies implements ReaderInterceptor {
    private static final int DECIDING_BYTES = 4;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            PushbackInputStream body = new PushbackInputStream(context.getInputStream(), DECIDING_BYTES);
            byte[] start = body.readNBytes(DECIDING_BYTES);
            for (byte b : start) {
                if (b == 0 || b == (byte) 0xFE || b == (byte) 0xFF) {
                    throw InvalidInputException.malformed("body", "must be JSON encoded in UTF-8");
                }
            }
            body.unread(start);
            context.setInputStream(body);
        }
        return context.proceed();
    }
}
