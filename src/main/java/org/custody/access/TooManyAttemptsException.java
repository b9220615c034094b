package org.custody.access;

import java.time.Duration;
import org.custody.common.DomainException;

/**
 * A password check refused unchecked, after too many failures or while as many attempts are under way as the throttle
 * allows (at sign-in the same for every user name, existing or not).
 */
public class TooManyAttemptsException extends DomainException {
    private final Duration retryAfter;

    public TooManyAttemptsException(Duration retryAfter) {
        super("Too many password attempts; try again later");
        this.retryAfter = retryAfter;
    }

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
