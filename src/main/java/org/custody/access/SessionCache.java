package org.custody.access;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sessions this instance looked up within the last moment ({@code auth.sessionsKeptFor}, a second by default), by
 * their token's digest, so that a client's requests do not each ask the database for the same row again: on
 * PostgreSQL that is one round trip of a case read's three (the benchmarks' journal, "A session cache, measured again
 * and kept").
 *
 * <p>Nothing is trusted past its end on this instance: every log entry about a user (sign-in and sign-out,
 * revocation, a password, roles, deactivation, the second factor) empties the cache once committed and before its
 * change is answered ({@link #forgetAll}), and a lookup that began before that is never kept. What another instance on
 * the same database changes reaches this one within that moment, when the kept row is looked up again.
 */
final class SessionCache {
    /** The most sessions kept at once; past it, what is kept is dropped and the cache fills again. */
    private static final int CAPACITY = 10_000;

    private record Kept(UserDao.SessionRow row, long generation, long untilMillis) {}

    private final Clock clock;
    /** How long a looked-up session is kept: the most a change made through another instance can take to be seen here. */
    private final long keptForMillis;
    /** Moves on each {@link #forgetAll}: a row kept under an earlier generation is not used. */
    private final AtomicLong generation = new AtomicLong();
    private final ConcurrentHashMap<ByteBuffer, Kept> kept = new ConcurrentHashMap<>();

    /** @param keptFor zero keeps nothing: every session is looked up */
    SessionCache(Clock clock, Duration keptFor) {
        this.clock = clock;
        this.keptForMillis = keptFor.toMillis();
    }

    /** Taken before looking a session up in the database, and given back to {@link #keep} with what was found. */
    long ticket() {
        return generation.get();
    }

    /** The session kept for this token digest, if it was looked up within the time sessions are kept and nothing about users changed since. */
    Optional<UserDao.SessionRow> find(byte[] tokenHash) {
        Kept found = kept.get(ByteBuffer.wrap(tokenHash));
        if (found == null || found.generation != generation.get() || clock.millis() >= found.untilMillis) {
            return Optional.empty();
        }
        return Optional.of(found.row);
    }

    /**
     * Keeps a session row as the database gave it to a lookup that took {@code ticket} before it began. If users
     * changed in between, it is not kept (or, when they change while it is being kept, kept under the old generation
     * and so never found).
     */
    void keep(byte[] tokenHash, UserDao.SessionRow row, long ticket) {
        if (keptForMillis == 0 || ticket != generation.get()) {
            return;
        }
        if (kept.size() >= CAPACITY) {
            kept.clear();
        }
        kept.put(ByteBuffer.wrap(tokenHash.clone()), new Kept(row, ticket, clock.millis() + keptForMillis));
    }

    /** The session was marked as used: its kept row says so, for no longer than it was already kept. */
    void touched(byte[] tokenHash, UserDao.SessionRow row) {
        kept.computeIfPresent(ByteBuffer.wrap(tokenHash), (key, old) -> new Kept(row, old.generation, old.untilMillis));
    }

    /** Forgets every session kept: a change about users was committed. */
    void forgetAll() {
        generation.incrementAndGet();
        kept.clear();
    }
}
