package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.custody.Core;
import org.custody.log.Actor;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions an instance keeps for a second ({@link SessionCache}) on a real database, with a clock the test moves and
 * two instances on one database: on the instance that made a change about a user the change holds at once; on
 * another, once the second the session was kept for is over.
 */
abstract class SessionsKeptContract {
    private static final String ONE_TIME = "an invented one-time passphrase";
    private final ExpiryTest.MovableClock clock = new ExpiryTest.MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private Path dataDirectory;
    private TestDatabase database;
    private Core here;
    private Core elsewhere;

    abstract TestDatabase.Kind database();

    @BeforeEach
    void start() throws Exception {
        dataDirectory = TempDirectories.create("custody-sessions-kept");
        database = TestDatabase.fresh(database());
        here = TestConfigs.startCore(database, dataDirectory, clock);
        elsewhere = TestConfigs.startCore(database, dataDirectory, clock);
    }

    @AfterEach
    void stop() throws Exception {
        elsewhere.stop();
        here.stop();
        TempDirectories.delete(dataDirectory);
    }

    /** Every way a session ends, and a change of roles, is seen by the next request to the instance that made it. */
    @Test
    void aChangeAboutAUserHoldsAtOnceOnTheInstanceThatMadeIt() {
        User user = user("kept.here", Role.CASE_WORKER);

        Caller signedIn = kept(signIn("kept.here"));
        here.sessions().signOut(signedIn);
        assertThat(here.sessions().authenticate(token)).as("signed out").isEmpty();

        Caller revoked = kept(signIn("kept.here"));
        here.sessions().revoke(Actor.SYSTEM, user.id(), revoked.sessionId());
        assertThat(here.sessions().authenticate(token)).as("revoked").isEmpty();

        kept(signIn("kept.here"));
        here.users().update(Actor.SYSTEM, user.id(), new UserPatch(null, EnumSet.of(Role.LAWYER), null));
        assertThat(here.sessions().authenticate(token).orElseThrow().user().roles()).as("roles changed").isEqualTo(Set.of(Role.LAWYER));

        here.users().update(Actor.SYSTEM, user.id(), new UserPatch(null, null, false));
        assertThat(here.sessions().authenticate(token)).as("deactivated").isEmpty();
        assertThat(clock.instant()).as("all without the clock moving").isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
    }

    /**
     * Two instances on one database: a session the other instance has just looked up is kept there for at most a
     * second after it was revoked here, the bound README's "Sessions" states, and no longer.
     */
    @Test
    void anotherInstanceSeesASessionEndWithinTheSecondItKeptIt() {
        User user = user("kept.elsewhere", Role.CASE_WORKER);
        Caller signedIn = kept(signIn("kept.elsewhere"));
        assertThat(elsewhere.sessions().authenticate(token)).as("looked up, and kept, by the other instance").isPresent();

        clock.advance(Duration.ofMillis(400));
        here.sessions().revoke(Actor.SYSTEM, user.id(), signedIn.sessionId());
        assertThat(here.sessions().authenticate(token)).isEmpty();
        assertThat(elsewhere.sessions().authenticate(token)).as("still kept over there, within its second").isPresent();

        clock.advance(Duration.ofMillis(600));
        assertThat(elsewhere.sessions().authenticate(token)).as("its second over, looked up again").isEmpty();
    }

    /** A session marked as used once a minute is still marked while kept; the idle timeout counts from its use. */
    @Test
    void aKeptSessionIsStillMarkedAsUsed() {
        user("kept.used", Role.CASE_WORKER);
        Caller first = kept(signIn("kept.used"));
        for (int minute = 0; minute < 45; minute++) {
            clock.advance(Duration.ofSeconds(61));
            for (int request = 0; request < 3; request++) {
                assertThat(here.sessions().authenticate(token)).as("minute %d", minute).isPresent();
            }
        }
        assertThat(here.sessions().sessions(first.id())).singleElement()
                .satisfies(session -> assertThat(session.lastSeenAt()).isEqualTo(clock.instant()));
        clock.advance(Duration.ofMinutes(31));
        assertThat(here.sessions().authenticate(token)).as("idle past the timeout").isEmpty();
    }

    private String token;

    private Caller kept(String signedInToken) {
        token = signedInToken;
        return here.sessions().authenticate(token).orElseThrow();
    }

    private User user(String name, Role role) {
        return here.users().create(Actor.SYSTEM, new NewUser(name, "Invented " + name, ONE_TIME, EnumSet.of(role))).value();
    }

    private String signIn(String name) {
        return here.sessions().signIn(name, ONE_TIME.toCharArray(), null, "192.0.2.1").value().token();
    }
}
