package org.custody.access;

import org.custody.common.DomainException;

/** The session may only change its password or enrol a second factor, and this request is neither. */
public class SessionScopeException extends DomainException {
    public SessionScopeException(SessionScope scope) {
        super(scope == SessionScope.CHANGE_PASSWORD
                ? "This session may only change its password: PUT /api/v1/users/me/password, then sign in again"
                : "Administrators must enrol a second factor first: POST /api/v1/users/me/totp, then confirm a code and sign in again");
    }
}
