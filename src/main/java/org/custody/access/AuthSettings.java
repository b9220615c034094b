package org.custody.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.concurrent.TimeUnit;

/**
 * config.yml's {@code auth}: sessions, sign-in and its throttle, second factors, the Argon2id cost (OWASP's minimum is
 * 19 MiB, 2 passes, 1 lane; see {@link PasswordHasher}), recorded reads and the read limit.
 */
public class AuthSettings {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration sessionLifetime = Duration.hours(12);

    /** A session unused for this long ends. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration sessionIdleTimeout = Duration.minutes(30);

    /**
     * How long an instance keeps a session it looked up, so that a client's requests do not each look it up again. A
     * session ended through another instance on the same database is refused here at most this long after; one ended
     * through this instance, at once. Zero looks every request's session up.
     */
    @NotNull
    @MaxDuration(value = 10, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration sessionsKeptFor = Duration.seconds(1);

    /**
     * A one-time password (a new account's, or one given by a reset) not changed within this long stops signing in;
     * an administrator's reset gives another.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 90, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration oneTimePasswordLifetime = Duration.days(7);

    /** Failed sign-ins for one user name before further attempts are refused for a while. */
    @Min(1)
    @JsonProperty
    private int maxFailedSignIns = 5;

    /** Failed sign-ins from one client address (any user names) before it is refused for a while. */
    @Min(1)
    @JsonProperty
    private int maxFailedSignInsPerAddress = 20;

    /** The first refusal period after the limit; each further failure doubles it, up to signInMaxDelay. */
    @NotNull
    @JsonProperty
    private Duration signInDelay = Duration.minutes(1);

    @NotNull
    @JsonProperty
    private Duration signInMaxDelay = Duration.hours(1);

    /** Administrators must sign in with a second factor; until they enrol one, their sessions may only enrol. */
    @JsonProperty
    private boolean requireTotpForAdmins = true;

    /** The issuer shown in authenticator apps. */
    @NotNull
    @Size(min = 1, max = 64)
    @JsonProperty
    private String totpIssuer = "Custody";

    /** Record every read of a case or evidence item in the log (case.viewed, evidence.viewed). */
    @JsonProperty
    private boolean recordReads = true;

    /** Refuse a read (503) that cannot be queued for recording, rather than serve it unrecorded. */
    @JsonProperty
    private boolean failClosedReads = true;

    @Min(19 * 1024)
    @JsonProperty
    private int argon2MemoryKib = PasswordHasher.DEFAULT_MEMORY_KIB;

    @Min(2)
    @JsonProperty
    private int argon2Iterations = PasswordHasher.DEFAULT_ITERATIONS;

    @Min(1)
    @Max(16)
    @JsonProperty
    private int argon2Parallelism = PasswordHasher.DEFAULT_PARALLELISM;

    /**
     * Password hashes made or checked at once (sign-in, password changes, new users): each holds argon2MemoryKib of
     * the heap while it runs, and anyone can ask for one by signing in. By default one per core, at most four.
     */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int concurrentPasswordChecks = PasswordHasher.DEFAULT_CONCURRENCY;

    /** How long a password check waits for its turn before it is refused with 503. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration passwordCheckWait = Duration.seconds(2);

    /**
     * Records (cases, search hits, evidence items) one user may be shown a second, after a first {@code readBurst}
     * of them at once ({@link ReadLimit}); 0 for no limit.
     */
    @Min(0)
    @Max(1_000_000)
    @JsonProperty
    private int readsPerSecond = 20;

    @Min(1)
    @Max(10_000_000)
    @JsonProperty
    private int readBurst = 1000;

    public Duration getSessionLifetime() {
        return sessionLifetime;
    }

    public Duration getSessionIdleTimeout() {
        return sessionIdleTimeout;
    }

    public Duration getSessionsKeptFor() {
        return sessionsKeptFor;
    }

    public Duration getOneTimePasswordLifetime() {
        return oneTimePasswordLifetime;
    }

    public int getMaxFailedSignIns() {
        return maxFailedSignIns;
    }

    public int getMaxFailedSignInsPerAddress() {
        return maxFailedSignInsPerAddress;
    }

    public Duration getSignInDelay() {
        return signInDelay;
    }

    public Duration getSignInMaxDelay() {
        return signInMaxDelay;
    }

    public boolean isRequireTotpForAdmins() {
        return requireTotpForAdmins;
    }

    public String getTotpIssuer() {
        return totpIssuer;
    }

    public boolean isRecordReads() {
        return recordReads;
    }

    public boolean isFailClosedReads() {
        return failClosedReads;
    }

    public int getArgon2MemoryKib() {
        return argon2MemoryKib;
    }

    public int getArgon2Iterations() {
        return argon2Iterations;
    }

    public int getArgon2Parallelism() {
        return argon2Parallelism;
    }

    public int getConcurrentPasswordChecks() {
        return concurrentPasswordChecks;
    }

    public Duration getPasswordCheckWait() {
        return passwordCheckWait;
    }

    public int getReadsPerSecond() {
        return readsPerSecond;
    }

    public void setReadsPerSecond(int readsPerSecond) {
        this.readsPerSecond = readsPerSecond;
    }

    public int getReadBurst() {
        return readBurst;
    }
}
