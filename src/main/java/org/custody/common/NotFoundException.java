package org.custody.common;

/** The thing asked for does not exist, or the caller may not know that it exists. */
public class NotFoundException extends DomainException {
    public NotFoundException(String what) {
        super(what + " not found");
    }
}
