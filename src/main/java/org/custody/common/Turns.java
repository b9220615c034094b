package org.custody.common;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns at work that holds much memory or CPU while it runs (a password hash, a bundle built): at most {@code count}
 * at once, the others waiting, first come first served, for at most {@code wait}, and then refused with
 * {@link ServiceUnavailableException} (503). At most {@value #WAITING_PER_TURN} wait for each turn; one more is
 * refused at once, so that a flood holds a few of the server's threads in the queue rather than all of them.
 */
public final class Turns {
    public static final int WAITING_PER_TURN = 16;

    private final int count;
    private final Semaphore free;
    private final long waitNanos;
    private final String busyMessage;
    private final LongAdder refused = new LongAdder();

    /** {@code busyMessage}: what a refused caller is told (no personal data: it is shown and may be logged). */
    public Turns(int count, Duration wait, String busyMessage) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one turn must be possible");
        }
        this.count = count;
        this.free = new Semaphore(count, true);
        this.waitNanos = wait.toNanos();
        this.busyMessage = busyMessage;
    }

    /** A turn taken; closing it gives it back, once. */
    public final class Turn implements AutoCloseable {
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Turn() {}

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                free.release();
            }
        }
    }

    /** Waits for a turn, or refuses. */
    public Turn take() {
        try {
            if (free.getQueueLength() >= count * WAITING_PER_TURN || !free.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                refused.increment();
                throw new ServiceUnavailableException(busyMessage, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(busyMessage, e);
        }
        return new Turn();
    }

    /** How many turns are taken now. */
    public int running() {
        return count - free.availablePermits();
    }

    /** How many wait for a turn (an estimate, as the queue moves). */
    public int waiting() {
        return free.getQueueLength();
    }

    /** How many were refused for want of a turn (a metric: a flood shows here). */
    public long refused() {
        return refused.sum();
    }
}
