package org.custody.access;

import org.custody.common.DomainException;

/**
 * The right one-time password, past its expiry: it no longer signs in or changes itself. Said only to whoever gave the
 * right password (and code), so it tells nobody else whether the account exists.
 */
public class OneTimePasswordExpiredException extends DomainException {
    public OneTimePasswordExpiredException() {
        super("This one-time password has expired; ask an administrator to reset it");
    }
}
