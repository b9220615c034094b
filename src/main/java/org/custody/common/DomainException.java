package org.custody.common;

/**
 * A request that the domain refuses for a reason the caller can act on. Subclasses name what went wrong;
 * the web layer maps each kind to one HTTP status, so nothing below the resources knows about HTTP.
 * Messages must never contain personal data: they are shown to callers and may be logged.
 */
public abstract class DomainException extends RuntimeException {
    protected DomainException(String message) {
        super(message, null, false, false);
    }
}
