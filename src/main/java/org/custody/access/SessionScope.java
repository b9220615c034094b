package org.custody.access;

/**
 * What a session may do. A session opened with a password an administrator reset may only change that password;
 * an administrator's session without a second factor, where one is required, may only enrol one.
 */
public enum SessionScope {
    FULL,
    CHANGE_PASSWORD,
    ENROL_TOTP
}
