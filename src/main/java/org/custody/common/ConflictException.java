package org.custody.common;

/** The request contradicts the current state (for example a user name that is taken). */
public class ConflictException extends DomainException {
    public ConflictException(String message) {
        super(message);
    }
}
