package org.custody.log;

import java.time.Instant;

/**
 * Entry times as their bytes give them ({@link EntryEncoder#time}), remembering the last one formatted: the entries
 * of a batch share their time, so the writer formats it once a batch and verify-log once per batch it reads.
 * Safe to share between threads: each sees a whole pair of time and text or formats its own.
 */
public final class EntryTimes {
    private record Formatted(Instant time, String text) {}

    private volatile Formatted last = new Formatted(Instant.EPOCH, EntryEncoder.time(Instant.EPOCH));

    public String format(Instant time) {
        Formatted formatted = last;
        if (!formatted.time().equals(time)) {
            formatted = new Formatted(time, EntryEncoder.time(time));
            last = formatted;
        }
        return formatted.text();
    }
}
