package org.custody.common;

/** An If-Match precondition named a version that is no longer current. */
public class StaleVersionException extends DomainException {
    private final long currentVersion;

    public StaleVersionException(long expected, long currentVersion) {
        super("The record was changed: If-Match named version " + expected + ", the current version is " + currentVersion);
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
