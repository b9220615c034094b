package org.custody.access;

import java.time.Duration;
import org.custody.common.TooManyRequestsException;

/** A read refused unanswered: its user has been shown as many records as {@link ReadLimit} allows for now. */
public class TooManyReadsException extends TooManyRequestsException {
    public TooManyReadsException(Duration retryAfter) {
        super("Too many records read in a short time; try again later", retryAfter);
    }

    @Override
    public String kind() {
        return "too-many-reads";
    }
}
