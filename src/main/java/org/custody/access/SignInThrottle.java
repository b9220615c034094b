package org.custody.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing. Failures are counted per user name (whether or not the user exists, so the answer tells
 * nothing), at sign-in and at a password change alike, and per client address at sign-in (a null address is not counted); once a count reaches its limit, further attempts are refused unchecked for a
 * delay that doubles with each further failure, up to a ceiling. A success clears the user name's count. Counts
 * are kept in memory, per instance, and forgotten after a quiet period.
 */
public final class SignInThrottle {
    private static final int MAX_TRACKED = 100_000;

    private final int userLimit;
    private final int addressLimit;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration forgetAfter;
    private final Map<String, Failures> byUser = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    public SignInThrottle(int userLimit, int addressLimit, Duration firstDelay, Duration maxDelay) {
        this.userLimit = userLimit;
        this.addressLimit = addressLimit;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.forgetAfter = maxDelay.multipliedBy(2);
    }

    private record Failures(int count, Instant last, Instant blockedUntil) {}

    /** How long the caller must wait before trying again, if either counter blocks them now. */
    Optional<Duration> waitBefore(String username, String address, Instant now) {
        Instant until = later(blockedUntil(byUser, key(username), now), blockedUntil(byAddress, address, now));
        return until == null ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    void failed(String username, String address, Instant now) {
        record(byUser, key(username), userLimit, now);
        record(byAddress, address, addressLimit, now);
    }

    void succeeded(String username) {
        byUser.remove(key(username));
    }

    private void record(Map<String, Failures> counters, String key, int limit, Instant now) {
        if (key == null) {
            return;
        }
        if (counters.size() >= MAX_TRACKED) {
            counters.values().removeIf(failures -> failures.last().plus(forgetAfter).isBefore(now));
        }
        counters.compute(key, (ignored, previous) -> {
            int count = previous == null || previous.last().plus(forgetAfter).isBefore(now) ? 1 : previous.count() + 1;
            Instant blockedUntil = count < limit ? null : now.plus(delay(count - limit));
            return new Failures(count, now, blockedUntil);
        });
    }

    private Duration delay(int beyondLimit) {
        Duration delay = firstDelay.multipliedBy(1L << Math.min(beyondLimit, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private static Instant blockedUntil(Map<String, Failures> counters, String key, Instant now) {
        Failures failures = key == null ? null : counters.get(key);
        return failures == null || failures.blockedUntil() == null || !failures.blockedUntil().isAfter(now) ? null : failures.blockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static String key(String username) {
        return username == null ? null : username.toLowerCase(Locale.ROOT);
    }
}
