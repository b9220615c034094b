package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.jackson.Jackson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.custody.Core;
import org.custody.audit.Findings;
import org.custody.audit.LogVerifier;
import org.custody.cases.CaseDetails;
import org.custody.cases.Category;
import org.custody.common.NotFoundException;
import org.custody.log.Actor;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Time-bound access on a real database with a clock the test moves: idle and absolute session ends, grant expiry,
 * one-time passwords.
 */
class ExpiryTest {
    /** The password every user here is created with: one-time, as every new account's. */
    private static final String ONE_TIME = "an invented one-time passphrase";
    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private Core core;
    private Path dataDirectory;

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void start() throws Exception {
        dataDirectory = TempDirectories.create("custody-expiry");
        core = TestConfigs.startCore(TestDatabase.fresh(TestDatabase.Kind.H2), dataDirectory, clock);
    }

    @AfterEach
    void stop() throws Exception {
        core.stop();
        TempDirectories.delete(dataDirectory);
    }

    /** A user who has signed in once and changed their one-time password to "an invented passphrase". */
    private User user(String name, Role... roles) {
        User user = oneTimeUser(name, roles);
        Caller first = core.sessions().authenticate(signIn(name, ONE_TIME)).orElseThrow();
        core.ownPassword().change(first, ONE_TIME.toCharArray(), "an invented passphrase");
        return user;
    }

    /** A user as an administrator creates them: with a one-time password, {@link #ONE_TIME}, never used. */
    private User oneTimeUser(String name, Role... roles) {
        return core.users().create(Actor.SYSTEM, new NewUser(name, "Invented " + name, ONE_TIME, EnumSet.of(roles[0], roles))).value();
    }

    private String signIn(String name) {
        return signIn(name, "an invented passphrase");
    }

    private String signIn(String name, String password) {
        return core.sessions().signIn(name, password.toCharArray(), null, "192.0.2.1").value().token();
    }

    private String lastEntryPayload() {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT payload FROM log_payload ORDER BY idx DESC").setMaxRows(1)
                .mapTo(String.class).one());
    }

    private long logSize() {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT size FROM log_head").mapTo(Long.class).one());
    }

    private Findings verifyLog() {
        return new LogVerifier(core.jdbi(), Json.configure(Jackson.newObjectMapper()), "custody.test/log").verify(Optional.empty());
    }

    /**
     * A new account's password, chosen by an administrator, signs in (to change it) for seven days, the configured
     * default; after that, neither it nor a session opened with it changes it, and only a reset helps. Each refusal is
     * an entry an administrator can see, and counts as a failed sign-in, so that the throttle bounds how many there are.
     */
    @Test
    void aOneTimePasswordUnchangedForItsLifetimeNoLongerSignsIn() {
        User newcomer = oneTimeUser("expiry.newcomer", Role.LAWYER);
        clock.advance(Duration.ofDays(7).minusMinutes(1));
        Caller early = core.sessions().authenticate(signIn("expiry.newcomer", ONE_TIME)).orElseThrow();
        assertThat(early.scope()).isEqualTo(SessionScope.CHANGE_PASSWORD);

        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> signIn("expiry.newcomer", ONE_TIME)).isInstanceOf(OneTimePasswordExpiredException.class)
                .hasMessage("This one-time password has expired; ask an administrator to reset it");
        assertThat(lastEntryPayload()).isEqualTo("{\"reason\":\"one-time-password-expired\"}");
        assertThatThrownBy(() -> signIn("expiry.newcomer", "a wrong guess at it")).as("a wrong password learns nothing of the expiry")
                .isInstanceOf(InvalidCredentialsException.class);
        assertThatThrownBy(() -> core.ownPassword().change(early, ONE_TIME.toCharArray(), "the newcomer's own passphrase"))
                .as("a session opened the minute before does not stretch it").isInstanceOf(OneTimePasswordExpiredException.class);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> signIn("expiry.newcomer", ONE_TIME)).isInstanceOf(OneTimePasswordExpiredException.class);
        }
        long entries = logSize();
        for (int attempt = 0; attempt < 10; attempt++) {
            assertThatThrownBy(() -> signIn("expiry.newcomer", ONE_TIME)).as("each refusal counted, like a wrong password's")
                    .isInstanceOf(TooManyAttemptsException.class);
        }
        assertThat(logSize()).as("the throttle's refusals are noted at most once a second, so the expired password cannot fill the log")
                .isEqualTo(entries + 1);

        OneTimePassword reset = core.users().resetPassword(Actor.SYSTEM, newcomer.id()).value();
        assertThat(reset.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThat(lastEntryPayload()).contains("\"passwordExpiresAt\":\"" + reset.expiresAt() + "\"");
        clock.advance(Duration.ofDays(6));
        Caller taken = core.sessions().authenticate(signIn("expiry.newcomer", reset.password())).orElseThrow();
        core.ownPassword().change(taken, reset.password().toCharArray(), "the newcomer's own passphrase");
        clock.advance(Duration.ofDays(60));
        assertThat(core.sessions().authenticate(signIn("expiry.newcomer", "the newcomer's own passphrase")).orElseThrow().scope())
                .as("a password the user chose does not expire").isEqualTo(SessionScope.FULL);
        assertThat(verifyLog().problems()).isEmpty();
    }

    /** A one-time password set before they expired (migration 013) has no expiry in its row: it keeps working, to change itself. */
    @Test
    void aOneTimePasswordFromBeforeExpiriesKeepsItsOldRule() {
        User older = oneTimeUser("expiry.older", Role.CASE_WORKER);
        core.jdbi().useHandle(handle -> handle.createUpdate("UPDATE users SET password_expires_at = NULL WHERE id = :id").bind("id", older.id()).execute());
        clock.advance(Duration.ofDays(365));
        assertThat(core.sessions().authenticate(signIn("expiry.older", ONE_TIME)).orElseThrow().scope()).isEqualTo(SessionScope.CHANGE_PASSWORD);
    }

    /**
     * The initial administrator's password file stays while its password signs in, whatever else happens (other users'
     * password changes, restarts), and goes at the first start after it expired. A reset's new password is shown to the
     * administrator who asked for it, never written there.
     */
    @Test
    void theInitialPasswordFileGoesAtTheFirstStartAfterItsPasswordExpired() throws Exception {
        Path file = dataDirectory.resolve("initial-admin-password");
        core.initialAdmin().ensure();
        String password = java.nio.file.Files.readString(file).strip();
        assertThat(core.sessions().authenticate(signIn(InitialAdmin.USERNAME, password)).orElseThrow().scope()).isEqualTo(SessionScope.CHANGE_PASSWORD);

        User other = user("expiry.other", Role.CASE_WORKER);
        core.initialAdmin().passwordChanged(other);
        clock.advance(Duration.ofDays(7).minusMinutes(1));
        core.initialAdmin().ensure();
        assertThat(file).as("another user's change and a start within the lifetime leave it").hasContent(password + "\n");

        clock.advance(Duration.ofMinutes(2));
        core.initialAdmin().ensure();
        assertThat(file).as("gone once its password no longer signs in").doesNotExist();
        assertThat(core.users().count()).as("and no second administrator made").isEqualTo(2);

        core.users().resetPassword(Actor.SYSTEM, initialAdminId());
        core.initialAdmin().ensure();
        assertThat(file).as("a reset does not write it again").doesNotExist();
    }

    private UUID initialAdminId() {
        return core.users().unusedOneTimePasswords().stream().filter(unused -> unused.username().equals(InitialAdmin.USERNAME))
                .findFirst().orElseThrow().userId();
    }

    /** Reset before it was used, the file's password is spent at once, and the next start removes it. */
    @Test
    void theInitialPasswordFileGoesAtTheNextStartAfterAReset() throws Exception {
        Path file = dataDirectory.resolve("initial-admin-password");
        core.initialAdmin().ensure();
        core.users().resetPassword(Actor.SYSTEM, initialAdminId());
        assertThat(file).as("the service does not watch the file between starts").exists();
        core.initialAdmin().ensure();
        assertThat(file).doesNotExist();
    }

    @Test
    void aSessionEndsAfterItsIdleTimeoutAndAtItsAbsoluteLifetime() {
        user("idle.worker", Role.CASE_WORKER);
        String token = signIn("idle.worker");
        clock.advance(Duration.ofMinutes(29));
        assertThat(core.sessions().authenticate(token)).as("used within the idle timeout").isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(core.sessions().authenticate(token)).as("the last use restarted the idle timeout").isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(core.sessions().authenticate(token)).as("idle for 31 minutes").isEmpty();

        String busy = signIn("idle.worker");
        for (int i = 0; i < 35; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(core.sessions().authenticate(busy)).isPresent();
        }
        clock.advance(Duration.ofMinutes(20));
        assertThat(core.sessions().authenticate(busy)).as("12 hours after sign-in, however busy").isEmpty();
    }

    @Test
    void sessionsPastTheirLifetimeAreRemovedAtTheUsersNextSignInAndTheLogCountsThem() {
        User traveller = user("expiry.traveller", Role.LAWYER);
        user("expiry.colleague", Role.LAWYER);
        signIn("expiry.traveller");
        signIn("expiry.traveller");
        String colleagues = signIn("expiry.colleague");
        clock.advance(Duration.ofHours(11));
        signIn("expiry.traveller");
        clock.advance(Duration.ofHours(2));
        assertThat(sessionsOf(traveller.id())).as("ended but still stored").isEqualTo(3);

        String latest = signIn("expiry.traveller");
        assertThat(sessionsOf(traveller.id())).as("the two past their lifetime are gone; the one signed in 2 hours ago stays (idle, within its lifetime)")
                .isEqualTo(2);
        assertThat(core.sessions().authenticate(latest)).isPresent();
        long stored = core.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM sessions").mapTo(Long.class).one());
        assertThat(stored).as("another user's ended session waits for that user's next sign-in").isEqualTo(3);
        assertThat(core.sessions().authenticate(colleagues)).isEmpty();
        assertThat(lastEntryPayload()).contains("\"expiredSessionsEnded\":2");
        Findings findings = verifyLog();
        assertThat(findings.problems()).isEmpty();
        assertThat(String.join("\n", findings.lines())).contains("3 open sessions match the tables");
    }

    @Test
    void theSessionListShowsOnlySessionsThatStillSignSomeoneIn() {
        User lawyer = user("listed.lawyer", Role.LAWYER);
        String first = signIn("listed.lawyer");
        clock.advance(Duration.ofMinutes(20));
        String second = signIn("listed.lawyer");
        assertThat(core.sessions().sessions(lawyer.id())).hasSize(2);
        clock.advance(Duration.ofMinutes(15));
        assertThat(core.sessions().authenticate(first)).as("idle for 35 minutes").isEmpty();
        assertThat(core.sessions().sessions(lawyer.id())).as("the idle one is not listed").singleElement()
                .satisfies(session -> assertThat(session.id()).isEqualTo(core.sessions().authenticate(second).orElseThrow().sessionId()));
        for (int i = 0; i < 36; i++) {
            clock.advance(Duration.ofMinutes(20));
            core.sessions().authenticate(second);
        }
        assertThat(core.sessions().authenticate(second)).as("past its lifetime").isEmpty();
        assertThat(core.sessions().sessions(lawyer.id())).as("nor the one past its lifetime").isEmpty();
        assertThat(sessionsOf(lawyer.id())).as("both still stored until the next sign-in").isEqualTo(2);
    }

    private long sessionsOf(UUID userId) {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM sessions WHERE user_id = :user").bind("user", userId)
                .mapTo(Long.class).one());
    }

    @Test
    void aGrantForAMonthShowsTheCaseForAMonth() {
        User worker = user("expiry.worker", Role.CASE_WORKER);
        User lawyer = user("expiry.lawyer", Role.LAWYER);
        User admin = user("expiry.admin", Role.ADMIN);
        UUID caseId = core.cases().create(new Actor(worker.id(), worker.username()),
                new CaseDetails(new CaseDetails.Person("Invented Person", null, List.of(), null, null, null, null), Category.UNKNOWN, null, null, null, null))
                .value().id();
        core.grants().grant(new Actor(admin.id(), admin.username()), caseId, new NewGrant(lawyer.id(), clock.instant().plus(Duration.ofDays(30)), "counsel for a month"));

        clock.advance(Duration.ofDays(29));
        Caller during = core.sessions().authenticate(signIn("expiry.lawyer")).orElseThrow();
        assertThat(core.cases().get(during.viewer(), caseId).id()).isEqualTo(caseId);

        clock.advance(Duration.ofDays(2));
        Caller after = core.sessions().authenticate(signIn("expiry.lawyer")).orElseThrow();
        assertThatThrownBy(() -> core.cases().get(after.viewer(), caseId)).isInstanceOf(NotFoundException.class);
        assertThat(core.cases().search(after.viewer(), null, null, null, 0, 50).total()).isZero();
    }
}
