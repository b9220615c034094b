package org.custody.erasure;

import org.custody.common.DomainException;

/** The administrator who proposed an erasure tried to approve it: another one must. */
public class SecondPersonRequiredException extends DomainException {
    public SecondPersonRequiredException() {
        super("An erasure is approved by another administrator than the one who proposed it");
    }
}
