package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@link SessionCache} keeps and for how long, without a database: the races a lookup can lose. */
class SessionCacheTest {
    private final ExpiryTest.MovableClock clock = new ExpiryTest.MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private static final Duration KEPT_FOR = Duration.ofSeconds(1);
    private final SessionCache cache = new SessionCache(clock, KEPT_FOR);
    private final byte[] digest = new byte[32];
    private final UserDao.SessionRow row = new UserDao.SessionRow(
            new User(UUID.randomUUID(), "invented.user", "Invented User", Set.of(Role.LAWYER), true, clock.instant()),
            UUID.randomUUID(), clock.instant(), clock.instant().plus(Duration.ofHours(8)), SessionScope.FULL);

    @Test
    void aSessionIsKeptForASecondFromItsLookup() {
        cache.keep(digest, row, cache.ticket());
        clock.advance(KEPT_FOR.minusMillis(1));
        assertThat(cache.find(digest)).contains(row);
        assertThat(cache.find(new byte[] {1})).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.find(digest)).isEmpty();
    }

    @Test
    void aLookupThatBeganBeforeAChangeAboutUsersIsNotKept() {
        long ticket = cache.ticket();
        cache.forgetAll();
        cache.keep(digest, row, ticket);
        assertThat(cache.find(digest)).isEmpty();
    }

    @Test
    void aChangeAboutUsersForgetsWhatWasKept() {
        cache.keep(digest, row, cache.ticket());
        cache.forgetAll();
        assertThat(cache.find(digest)).isEmpty();
        cache.keep(digest, row, cache.ticket());
        assertThat(cache.find(digest)).as("kept again by a lookup after it").contains(row);
    }

    @Test
    void markingASessionAsUsedDoesNotKeepItLonger() {
        cache.keep(digest, row, cache.ticket());
        clock.advance(Duration.ofMillis(600));
        UserDao.SessionRow used = row.usedAt(clock.instant());
        cache.touched(digest, used);
        assertThat(cache.find(digest)).contains(used);
        clock.advance(Duration.ofMillis(400));
        assertThat(cache.find(digest)).isEmpty();
    }

    @Test
    void keptForNoTimeKeepsNothing() {
        SessionCache none = new SessionCache(clock, Duration.ZERO);
        none.keep(digest, row, none.ticket());
        assertThat(none.find(digest)).isEmpty();
    }

    @Test
    void theDigestIsCopiedNotShared() {
        byte[] reused = digest.clone();
        cache.keep(reused, row, cache.ticket());
        reused[0] = 7;
        assertThat(cache.find(digest)).contains(row);
    }
}
