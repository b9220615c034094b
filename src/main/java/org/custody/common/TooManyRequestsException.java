package org.custody.common;

import java.time.Duration;

/** A request refused unanswered because its sender asked for too much too fast: 429, with how long to wait. */
public abstract class TooManyRequestsException extends DomainException {
    private final Duration retryAfter;

    protected TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds to wait, rounded up, at least one ({@code Retry-After}). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The last part of the problem's type, {@code /problems/<kind>}: what was asked for too often. */
    public abstract String kind();
}
