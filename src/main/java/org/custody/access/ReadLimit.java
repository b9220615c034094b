package org.custody.access;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How many records each user may be shown in a short time, so that a stolen session cannot copy the case files at the
 * service's full speed, nor grow the log (an entry for every record shown) at the ledger's pace. Each user has an
 * allowance of {@code burst} records, refilled at {@code perSecond}: far above what a person reading cases asks for, far
 * below what a script can. A request may be shown more records than are left only when the allowance is full (a
 * page of search results larger than the burst); the allowance then goes below zero and refills from there.
 *
 * <p>Counted per instance, in memory, like the sign-in throttle. A refusal says how long to wait, and whether it is
 * the user's first in {@link #NOTE_EVERY}, which the caller notes in the log.
 */
public final class ReadLimit {
    /** A user's refusals are noted in the log at most this often. */
    public static final Duration NOTE_EVERY = Duration.ofMinutes(1);
    /** Past this many users' allowances in memory, the full ones are forgotten. */
    private static final int REMEMBERED = 1024;
    /** Refills are sums of fractions: a wait that lands on the record it waited for must find it there. */
    private static final double ROUNDING = 1e-9;

    private final int perSecond;
    private final int burst;
    private final Map<UUID, Allowance> allowances = new HashMap<>();
    private long refusals;

    /** {@code perSecond} 0: no limit. */
    public ReadLimit(int perSecond, int burst) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("a read limit needs a rate of at least 0 and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Why a read was refused: how long until it would be allowed, and whether to note the refusal in the log. */
    public record Refusal(Duration retryAfter, boolean noteDue) {}

    /** What is left of a user's allowance at {@code at}, and when a refusal was last noted. */
    private record Allowance(double left, Instant at, Instant noted) {
        Allowance refilled(Instant now, int perSecond, int burst) {
            double seconds = Math.max(0, Duration.between(at, now).toNanos() / 1e9);
            return new Allowance(Math.min(burst, left + seconds * perSecond), now.isAfter(at) ? now : at, noted);
        }

        boolean noteDue(Instant now) {
            return noted == null || !now.isBefore(noted.plus(NOTE_EVERY));
        }
    }

    /** Takes {@code records} from the user's allowance, or refuses them all. */
    public Optional<Refusal> take(UUID user, int records, Instant now) {
        if (perSecond == 0 || records <= 0) {
            return Optional.empty(); // without taking the lock: no limit costs nothing
        }
        return takeFrom(user, records, now);
    }

    private synchronized Optional<Refusal> takeFrom(UUID user, int records, Instant now) {
        Allowance allowance = allowances.getOrDefault(user, new Allowance(burst, now, null)).refilled(now, perSecond, burst);
        double needed = Math.min(records, burst);
        if (allowance.left() + ROUNDING >= needed) {
            remember(user, new Allowance(allowance.left() - records, allowance.at(), allowance.noted()));
            return Optional.empty();
        }
        refusals++;
        Duration wait = Duration.ofNanos((long) Math.ceil((needed - allowance.left()) / perSecond * 1e9));
        boolean noteDue = allowance.noteDue(now);
        remember(user, noteDue ? new Allowance(allowance.left(), allowance.at(), now) : allowance);
        return Optional.of(new Refusal(wait, noteDue));
    }

    public int perSecond() {
        return perSecond;
    }

    public int burst() {
        return burst;
    }

    /** Reads refused since the service started. */
    public synchronized long refusals() {
        return refusals;
    }

    /** How many users' allowances are held in memory. */
    synchronized int remembered() {
        return allowances.size();
    }

    private void remember(UUID user, Allowance allowance) {
        allowances.put(user, allowance);
        if (allowances.size() > REMEMBERED) {
            Instant now = allowance.at();
            allowances.values().removeIf(other -> other.refilled(now, perSecond, burst).left() >= burst && other.noteDue(now));
        }
    }
}
