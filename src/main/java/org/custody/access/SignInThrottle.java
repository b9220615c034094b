package org.custody.access;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows password guessing. Failures are counted per user name (whether or not the user exists, so the answer tells
 * nothing), at sign-in and at a password change alike, and per client address at sign-in (a null address is not
 * counted); once a count reaches its limit, further attempts are refused unchecked for a delay that doubles with each
 * further failure, up to a ceiling. A success clears the user name's count. Counts are kept in memory, per instance,
 * and forgotten after a quiet period.
 *
 * <p>An attempt counts from its {@link #begin} to its outcome, not only once it has failed: otherwise a guesser who
 * sends a thousand attempts at once has them all checked before the first failure is counted. So no more attempts
 * run at once than could still fail without reaching the limit (one at a time once it is reached), and one beyond
 * that is refused for a second.
 */
public final class SignInThrottle {
    private static final int MAX_TRACKED = 100_000;
    private static final Duration WHILE_OTHERS_RUN = Duration.ofSeconds(1);

    private final int userLimit;
    private final int addressLimit;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration forgetAfter;
    private final Map<String, Counter> byUser = new HashMap<>();
    private final Map<String, Counter> byAddress = new HashMap<>();

    public SignInThrottle(int userLimit, int addressLimit, Duration firstDelay, Duration maxDelay) {
        this.userLimit = userLimit;
        this.addressLimit = addressLimit;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.forgetAfter = maxDelay.multipliedBy(2);
    }

    /** Failures not yet forgotten, attempts under way, the last failure (or start), and the end of a refusal. */
    private record Counter(int failures, int running, Instant last, Instant blockedUntil) {
        /** Quiet for longer than {@code forgetAfter}: its failures no longer count. */
        boolean stale(Instant now, Duration forgetAfter) {
            return last.plus(forgetAfter).isBefore(now);
        }

        /** Stale with nothing under way, so it may be dropped. */
        boolean forgotten(Instant now, Duration forgetAfter) {
            return running == 0 && stale(now, forgetAfter);
        }
    }

    /** One password check under way: end it with {@link #failed} or {@link #succeeded}, or close it without a verdict. */
    public final class Attempt implements AutoCloseable {
        private final String user;
        private final String address;
        private boolean ended;

        private Attempt(String user, String address) {
            this.user = user;
            this.address = address;
        }

        /** The password (or code) was wrong: one more failure for the user name and the address. */
        public void failed(Instant now) {
            end(() -> {
                fail(byUser, user, userLimit, now);
                fail(byAddress, address, addressLimit, now);
            });
        }

        /** The password was right: the user name's failures are cleared. */
        public void succeeded() {
            end(() -> {
                release(byAddress, address);
                Counter counter = byUser.get(user);
                if (counter != null) {
                    replace(byUser, user, new Counter(0, counter.running() - 1, counter.last(), null));
                }
            });
        }

        /** Ends the attempt without a verdict (the check could not run), counting nothing. */
        @Override
        public void close() {
            end(() -> {
                release(byUser, user);
                release(byAddress, address);
            });
        }

        private void end(Runnable outcome) {
            synchronized (SignInThrottle.this) {
                if (!ended) {
                    ended = true;
                    outcome.run();
                }
            }
        }
    }

    /**
     * Starts an attempt for a user name (as typed; its case does not matter) from a client address (null: not
     * counted), or refuses it with how long to wait when either counter blocks it or has as many attempts under way as
     * it allows.
     */
    synchronized Attempt begin(String username, String address, Instant now) {
        String user = key(username);
        if (byUser.size() + byAddress.size() >= MAX_TRACKED) {
            byUser.values().removeIf(counter -> counter.forgotten(now, forgetAfter));
            byAddress.values().removeIf(counter -> counter.forgotten(now, forgetAfter));
        }
        Counter forUser = current(byUser, user, now);
        Counter forAddress = address == null ? null : current(byAddress, address, now);
        Duration wait = longer(refusal(forUser, userLimit, now), forAddress == null ? null : refusal(forAddress, addressLimit, now));
        if (wait != null) {
            throw new TooManyAttemptsException(wait);
        }
        replace(byUser, user, started(forUser, now));
        if (forAddress != null) {
            replace(byAddress, address, started(forAddress, now));
        }
        return new Attempt(user, address);
    }

    private Counter current(Map<String, Counter> counters, String key, Instant now) {
        Counter counter = counters.get(key);
        return counter == null || counter.forgotten(now, forgetAfter) ? new Counter(0, 0, now, null) : counter;
    }

    private static Duration refusal(Counter counter, int limit, Instant now) {
        if (counter.blockedUntil() != null && counter.blockedUntil().isAfter(now)) {
            return Duration.between(now, counter.blockedUntil());
        }
        return counter.running() >= Math.max(1, limit - counter.failures()) ? WHILE_OTHERS_RUN : null;
    }

    private static Counter started(Counter counter, Instant now) {
        return new Counter(counter.failures(), counter.running() + 1, counter.failures() == 0 ? now : counter.last(), counter.blockedUntil());
    }

    private void fail(Map<String, Counter> counters, String key, int limit, Instant now) {
        Counter counter = key == null ? null : counters.get(key);
        if (counter == null) {
            return;
        }
        int failures = counter.stale(now, forgetAfter) ? 1 : counter.failures() + 1;
        Instant blockedUntil = failures < limit ? null : now.plus(delay(failures - limit));
        replace(counters, key, new Counter(failures, counter.running() - 1, now, blockedUntil));
    }

    private static void release(Map<String, Counter> counters, String key) {
        Counter counter = key == null ? null : counters.get(key);
        if (counter != null) {
            replace(counters, key, new Counter(counter.failures(), counter.running() - 1, counter.last(), counter.blockedUntil()));
        }
    }

    /** Stores a counter, or drops it once it holds nothing worth keeping. */
    private static void replace(Map<String, Counter> counters, String key, Counter counter) {
        if (counter.failures() == 0 && counter.running() <= 0) {
            counters.remove(key);
        } else {
            counters.put(key, counter);
        }
    }

    private Duration delay(int beyondLimit) {
        Duration delay = firstDelay.multipliedBy(1L << Math.min(beyondLimit, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
