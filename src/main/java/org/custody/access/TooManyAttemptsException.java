package org.custody.access;

import java.time.Duration;
import org.custody.common.TooManyRequestsException;

/**
 * A password check refused unchecked, after too many failures or while as many attempts are under way as the throttle
 * allows (at sign-in the same for every user name, existing or not).
 */
public class TooManyAttemptsException extends TooManyRequestsException {
    public TooManyAttemptsException(Duration retryAfter) {
        super("Too many password attempts; try again later", retryAfter);
    }

    @Override
    public String kind() {
        return "too-many-attempts";
    }
}
