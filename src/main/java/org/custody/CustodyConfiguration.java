package org.custody;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Custody's configuration: {@code config.yml}, with environment variables substituted. */
public class CustodyConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    private DatabaseFactory database = new DatabaseFactory();

    /** Runtime data of the embedded default: the H2 database, the initial admin password, generated keys. */
    @NotEmpty
    @JsonProperty
    private String dataDirectory = "data";

    @JsonProperty
    private boolean migrateOnStart = true;

    @NotNull
    @MaxDataSize(value = 16, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    private DataSize maxRequestBody = DataSize.mebibytes(1);

    /**
     * Bytes a second a client must send a request body at, on average over the time the service waits for it, once
     * that time passes {@link #requestBodyRateGrace}; slower is 408 (README, "Slow request bodies"). 0: no minimum.
     */
    @NotNull
    @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
    @JsonProperty
    private DataSize minRequestBodyRate = DataSize.kibibytes(1);

    /** How long the service may wait for a request body in all before the client's pace is judged. */
    @NotNull
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration requestBodyRateGrace = Duration.seconds(5);

    /**
     * Threads that may wait for the request bodies of one client address at once (README, "Slow request bodies"); a
     * read that would wait beyond it is refused with 429.
     */
    @Min(1)
    @JsonProperty
    private int bodyWaitsPerAddress = 8;

    /** Threads that may wait for request bodies at once in all; beyond it, 503. Keep it well under the server's maxThreads. */
    @Min(1)
    @JsonProperty
    private int bodyWaits = 256;

    @Valid
    @NotNull
    @JsonProperty
    private LedgerSettings ledger = new LedgerSettings();

    @Valid
    @NotNull
    @JsonProperty
    private AuthSettings auth = new AuthSettings();

    @Valid
    @NotNull
    @JsonProperty
    private LogSettings log = new LogSettings();

    @Valid
    @NotNull
    @JsonProperty
    private ErasureSettings erasure = new ErasureSettings();

    @Valid
    @NotNull
    @JsonProperty
    private ExportSettings exports = new ExportSettings();

    public DataSourceFactory getDatabase() {
        return database;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    /** Where the key files are: the log's signing keys and the second-factor key ({@code log.keyDirectory}, or {@code <dataDirectory>/keys}). */
    public Path keyDirectory() {
        return log.getKeyDirectory() == null ? Path.of(dataDirectory).resolve("keys") : Path.of(log.getKeyDirectory());
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    public DataSize getMinRequestBodyRate() {
        return minRequestBodyRate;
    }

    public Duration getRequestBodyRateGrace() {
        return requestBodyRateGrace;
    }

    public int getBodyWaitsPerAddress() {
        return bodyWaitsPerAddress;
    }

    public int getBodyWaits() {
        return bodyWaits;
    }

    public LedgerSettings getLedger() {
        return ledger;
    }

    public AuthSettings getAuth() {
        return auth;
    }

    public LogSettings getLog() {
        return log;
    }

    public ErasureSettings getErasure() {
        return erasure;
    }

    public ExportSettings getExports() {
        return exports;
    }

    /** Exports: how many bundles are built at once (each holds some megabytes and a core while it streams). */
    public static class ExportSettings {
        /** Bundles built at once; by default one per core, at most four. */
        @Min(1)
        @Max(64)
        @JsonProperty
        private int concurrentBundles = Math.min(4, Runtime.getRuntime().availableProcessors());

        /** How long a download waits for its turn before it is refused with 503. */
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
        @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
        @JsonProperty
        private Duration bundleWait = Duration.seconds(10);

        /**
         * Bytes a second a client must take, on average over the time its bundle waits for it, once that time passes
         * {@link #downloadRateGrace}; a slower one is cut off, since it holds a turn at building bundles. 0: no minimum.
         */
        @NotNull
        @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
        @JsonProperty
        private DataSize minDownloadRate = DataSize.kibibytes(8);

        /** How long a bundle may wait for its client in all before the client's pace is judged. */
        @NotNull
        @MaxDuration(value = 1, unit = TimeUnit.HOURS)
        @JsonProperty
        private Duration downloadRateGrace = Duration.seconds(30);

        public int getConcurrentBundles() {
            return concurrentBundles;
        }

        public Duration getBundleWait() {
            return bundleWait;
        }

        public DataSize getMinDownloadRate() {
            return minDownloadRate;
        }

        public Duration getDownloadRateGrace() {
            return downloadRateGrace;
        }
    }

    /** Erasing a case by law: proposed by one administrator, approved by another within the window. */
    public static class ErasureSettings {
        /** How long a proposed erasure can be approved; after it, it has to be proposed again. */
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        private Duration approvalWindow = Duration.days(7);

        public Duration getApprovalWindow() {
            return approvalWindow;
        }
    }

    /** The verifiable log: its origin (also the signing key's name) and where the private keys are. */
    public static class LogSettings {
        /** c2sp.org/tlog-checkpoint origin: a unique name for this log, such as {@code custody.example.org/log}. */
        @NotEmpty
        @jakarta.validation.constraints.Pattern(regexp = "[^\\s+]+", message = "must have no spaces or '+'")
        @JsonProperty
        private String origin = "custody.invalid/unconfigured";

        /** Directory of PKCS#8 key files named by key ID; defaults to {@code <dataDirectory>/keys}. */
        @JsonProperty
        private String keyDirectory;

        /** Passphrase of encrypted key files; empty for unencrypted files (config.yml's empty default substitutes to null). */
        @JsonProperty
        @com.fasterxml.jackson.annotation.JsonSetter(nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)
        private String keyPassphrase = "";

        /** Generate a key on first start when the directory has none (the embedded default). */
        @JsonProperty
        private boolean generateKeyIfMissing = true;

        public String getOrigin() {
            return origin;
        }

        public String getKeyDirectory() {
            return keyDirectory;
        }

        public String getKeyPassphrase() {
            return keyPassphrase;
        }

        public boolean isGenerateKeyIfMissing() {
            return generateKeyIfMissing;
        }
    }

    /** How the ledger groups writes into batches. */
    public static class LedgerSettings {
        @Min(1)
        @Max(1_000_000)
        @JsonProperty
        private int queueCapacity = 10_000;

        @Min(1)
        @Max(10_000)
        @JsonProperty
        private int maxBatch = 256;

        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        private Duration submitTimeout = Duration.seconds(30);

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public int getMaxBatch() {
            return maxBatch;
        }

        public Duration getSubmitTimeout() {
            return submitTimeout;
        }
    }

    /** Sign-in: session lifetime and the Argon2id cost (OWASP's minimum is 19 MiB, 2 passes, 1 lane; see {@link org.custody.access.PasswordHasher}). */
    public static class AuthSettings {
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

        public Duration getSessionIdleTimeout() {
            return sessionIdleTimeout;
        }

        public Duration getSessionsKeptFor() {
            return sessionsKeptFor;
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

        @Min(19 * 1024)
        @JsonProperty
        private int argon2MemoryKib = org.custody.access.PasswordHasher.DEFAULT_MEMORY_KIB;

        @Min(2)
        @JsonProperty
        private int argon2Iterations = org.custody.access.PasswordHasher.DEFAULT_ITERATIONS;

        @Min(1)
        @Max(16)
        @JsonProperty
        private int argon2Parallelism = org.custody.access.PasswordHasher.DEFAULT_PARALLELISM;

        public Duration getSessionLifetime() {
            return sessionLifetime;
        }

        public Duration getOneTimePasswordLifetime() {
            return oneTimePasswordLifetime;
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

        /**
         * Password hashes made or checked at once (sign-in, password changes, new users): each holds argon2MemoryKib of
         * the heap while it runs, and anyone can ask for one by signing in. By default one per core, at most four.
         */
        @Min(1)
        @Max(64)
        @JsonProperty
        private int concurrentPasswordChecks = org.custody.access.PasswordHasher.DEFAULT_CONCURRENCY;

        /** How long a password check waits for its turn before it is refused with 503. */
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
        @JsonProperty
        private Duration passwordCheckWait = Duration.seconds(2);

        /**
         * Records (cases, search hits, evidence items) one user may be shown a second, after a first {@code readBurst}
         * of them at once ({@link org.custody.access.ReadLimit}); 0 for no limit.
         */
        @Min(0)
        @Max(1_000_000)
        @JsonProperty
        private int readsPerSecond = 20;

        @Min(1)
        @Max(10_000_000)
        @JsonProperty
        private int readBurst = 1000;

        public int getReadsPerSecond() {
            return readsPerSecond;
        }

        public int getReadBurst() {
            return readBurst;
        }

        public void setReadsPerSecond(int readsPerSecond) {
            this.readsPerSecond = readsPerSecond;
        }

        public int getConcurrentPasswordChecks() {
            return concurrentPasswordChecks;
        }

        public Duration getPasswordCheckWait() {
            return passwordCheckWait;
        }
    }
}
