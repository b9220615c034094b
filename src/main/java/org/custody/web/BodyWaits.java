package org.custody.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's threads that wait for a request body's next bytes. A request's body is read on the thread that handles
 * it, and a client that sends its headers and then its body a byte now and then, or nothing, holds that thread until
 * Jetty's idle timeout or the body's {@link org.custody.common.ClientPace} ends it: 1,100 such connections from one address took every thread of the
 * shipped service, and no other request was answered. So at most {@code perAddress} threads wait for the bodies of one
 * client address, and at most {@code total} for all of them. Only a read that finds none of the body's bytes arrived
 * takes a wait; one beyond the bounds is refused, unless bytes arrive within a few milliseconds (what a working
 * client's do), so that a burst of requests from one address is not refused for the moment its bodies take to come.
 */
public final class BodyWaits {
    private final int perAddress;
    private final int total;
    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger all = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    public BodyWaits(int perAddress, int total) {
        if (perAddress < 1 || total < perAddress) {
            throw new IllegalArgumentException("at least one wait per address, and no fewer in all than for one address");
        }
        this.perAddress = perAddress;
        this.total = total;
    }

    /** A wait taken for one read; closing it gives it back, once. */
    public final class Wait implements AutoCloseable {
        private final String address;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Wait(String address) {
            this.address = address;
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                release(address);
            }
        }
    }

    /** A wait for a read of a body from {@code address}, or null when the address, or the service, has as many as it may. */
    public Wait tryTake(String address) {
        boolean[] taken = {false};
        waiting.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perAddress) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            return null;
        }
        if (all.incrementAndGet() > total) {
            release(address);
            return null;
        }
        return new Wait(address);
    }

    private void release(String address) {
        waiting.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        all.decrementAndGet();
    }

    /** The refusal of a read that found no wait: 429 when its address has all it may, else 503 (the service has). */
    public BodyRefusedException refusal(String address) {
        refused.increment();
        Integer count = waiting.get(address);
        return count != null && count >= perAddress
                ? BodyRefusedException.tooManyWaitingFromAddress()
                : BodyRefusedException.tooManyWaiting();
    }

    /** Reads refused for want of a wait (a metric: a flood of slow bodies shows here). */
    public long refused() {
        return refused.sum();
    }

    /** Threads waiting for a body now. */
    public int waiting() {
        return all.get();
    }
}
