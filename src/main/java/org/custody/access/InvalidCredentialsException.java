package org.custody.access;

import org.custody.common.DomainException;

/** Sign-in refused. One message whatever the reason, so it never tells whether a user name exists. */
public class InvalidCredentialsException extends DomainException {
    public InvalidCredentialsException() {
        super("The user name or password is wrong");
    }
}
