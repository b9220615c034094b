package org.custody.common;

/** The service cannot take the request now (queue full, database unreachable); the caller may retry. */
public class ServiceUnavailableException extends RuntimeException {
    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
