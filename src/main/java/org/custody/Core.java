package org.custody;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.custody.access.AuthSettings;
import org.custody.access.Grants;
import org.custody.access.InitialAdmin;
import org.custody.access.OwnPassword;
import org.custody.access.PasswordHasher;
import org.custody.access.ReadLimit;
import org.custody.access.ReadRecorder;
import org.custody.access.SecondFactor;
import org.custody.access.SecondFactorSecrets;
import org.custody.access.Sessions;
import org.custody.access.SignInThrottle;
import org.custody.access.Users;
import org.custody.backup.H2Housekeeping;
import org.custody.backup.PostgresHousekeeping;
import org.custody.cases.Cases;
import org.custody.common.ClientPace;
import org.custody.common.H2Urls;
import org.custody.common.OwnerOnly;
import org.custody.common.Turns;
import org.custody.common.Validation;
import org.custody.erasure.Erasures;
import org.custody.evidence.Evidence;
import org.custody.export.BundleWriter;
import org.custody.export.DownloadPace;
import org.custody.export.Exports;
import org.custody.log.EntryEncoder;
import org.custody.log.KeyAdministration;
import org.custody.log.Ledger;
import org.custody.log.LedgerSettings;
import org.custody.log.LogKeys;
import org.custody.log.LogProofs;
import org.custody.log.LogReader;
import org.custody.log.LogSettings;
import org.custody.log.PayloadAccess;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's parts wired together, shared by the HTTP server and the command-line tools so that a
 * command writes through exactly the same code as the API. Everything is built here with {@code new}.
 */
public record Core(ManagedDataSource dataSource, Jdbi jdbi, Ledger ledger, PasswordHasher passwords, Users users, Sessions sessions, OwnPassword ownPassword,
                   SecondFactor secondFactor, SecondFactorSecrets secondFactorSecrets, Grants grants, ReadRecorder reads, Cases cases,
                   Evidence evidence, Erasures erasures, Exports exports, LogReader logReader, LogKeys logKeys, KeyAdministration keyAdministration, LogProofs logProofs,
                   InitialAdmin initialAdmin, Path dataDirectory, boolean generateKeyIfMissing, Managed housekeeping) implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Core.class);

    public static Core build(CustodyConfiguration config, ObjectMapper mapper, Validator validator, MetricRegistry metrics, Clock clock) {
        Path dataDirectory = Path.of(config.getDataDirectory());
        prepareDataDirectory(dataDirectory, H2Urls.isEmbeddedFile(config.getDatabase().getUrl()));
        if (config.isMigrateOnStart()) {
            Migrations.apply(config.getDatabase(), metrics);
        } else {
            Migrations.requireApplied(config.getDatabase(), metrics);
        }
        ManagedDataSource dataSource = config.getDatabase().build(metrics, "custody");
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        SecureRandom random = new SecureRandom();
        LedgerSettings ledgerSettings = config.getLedger();
        LogSettings log = config.getLog();
        Path keyDirectory = config.keyDirectory();
        LogKeys logKeys = new LogKeys(jdbi, keyDirectory, log.getOrigin(), log.getKeyPassphrase().toCharArray());
        Ledger ledger = new Ledger(jdbi, clock, new EntryEncoder(mapper, random), logKeys, log.getOrigin(),
                ledgerSettings.getQueueCapacity(), ledgerSettings.getMaxBatch(), ledgerSettings.getSubmitTimeout().toMilliseconds(),
                H2Urls.hasSoleWriter(config.getDatabase().getUrl()), metrics);
        AuthSettings auth = config.getAuth();
        PasswordHasher hasher = new PasswordHasher(auth.getArgon2MemoryKib(), auth.getArgon2Iterations(), auth.getArgon2Parallelism(),
                auth.getConcurrentPasswordChecks(), auth.getPasswordCheckWait().toJavaDuration(), random);
        Validation validation = new Validation(mapper, validator);
        Users users = new Users(jdbi, ledger, hasher, validation, random, auth.getOneTimePasswordLifetime().toJavaDuration());
        Sessions.Policy sessionPolicy = new Sessions.Policy(auth.getSessionLifetime().toJavaDuration(),
                auth.getSessionIdleTimeout().toJavaDuration(), auth.getSessionsKeptFor().toJavaDuration(), auth.isRequireTotpForAdmins());
        SignInThrottle throttle = new SignInThrottle(auth.getMaxFailedSignIns(), auth.getMaxFailedSignInsPerAddress(),
                auth.getSignInDelay().toJavaDuration(), auth.getSignInMaxDelay().toJavaDuration());
        LogProofs logProofs = new LogProofs(jdbi, logKeys);
        SecondFactorSecrets secondFactorSecrets = new SecondFactorSecrets(keyDirectory,
                log.getKeyPassphrase().toCharArray(), random, clock);
        return new Core(dataSource, jdbi, ledger, hasher, users,
                new Sessions(jdbi, dataSource, ledger, hasher, clock, random, sessionPolicy, throttle, secondFactorSecrets),
                new OwnPassword(jdbi, ledger, hasher, clock, throttle),
                new SecondFactor(jdbi, ledger, clock, random, auth.getTotpIssuer(), secondFactorSecrets),
                secondFactorSecrets,
                new Grants(jdbi, ledger, clock),
                new ReadRecorder(ledger, new ReadLimit(auth.getReadsPerSecond(), auth.getReadBurst()), auth.isRecordReads(), auth.isFailClosedReads()),
                new Cases(jdbi, dataSource, ledger, mapper, validation, clock),
                new Evidence(jdbi, ledger, mapper, validation, clock),
                new Erasures(jdbi, ledger, mapper, config.getErasure().getApprovalWindow().toJavaDuration()),
                new Exports(jdbi, ledger, new BundleWriter(jdbi, mapper, logProofs, logKeys, metrics.timer("custody.exports.bundle-writes")),
                        new Turns(config.getExports().getConcurrentBundles(), config.getExports().getBundleWait().toJavaDuration(),
                                "Too many export bundles are being built at once; try again shortly"),
                        new DownloadPace(new ClientPace(config.getExports().getMinDownloadRate().toBytes(), config.getExports().getDownloadRateGrace().toJavaDuration()))),
                new LogReader(jdbi, mapper),
                logKeys,
                new KeyAdministration(ledger, logKeys, random),
                logProofs,
                new InitialAdmin(users, random, clock, dataDirectory.resolve("initial-admin-password")),
                dataDirectory,
                log.isGenerateKeyIfMissing(),
                housekeeping(config.getDatabase().getUrl(), jdbi, dataSource, metrics));
    }

    /** The database's own upkeep: the H2 file compacted, or PostgreSQL's table of unfinished tiles vacuumed. */
    private static Managed housekeeping(String url, Jdbi jdbi, ManagedDataSource dataSource, MetricRegistry metrics) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresHousekeeping(jdbi);
        }
        return H2Housekeeping.forDatabase(url, jdbi, () -> {
            if (dataSource instanceof org.apache.tomcat.jdbc.pool.DataSourceProxy pool) {
                pool.purge();
            }
        }, metrics);
    }

    /**
     * The data directory holds the embedded database, its backups, the initial password and generated keys: created
     * usable by its owner alone (for an embedded database, before the migrations open it there; otherwise by whatever
     * first writes to it, so a service on PostgreSQL with nothing to write there needs none), and warned about when
     * others may read it.
     */
    private static void prepareDataDirectory(Path dataDirectory, boolean embeddedDatabase) {
        try {
            if (embeddedDatabase) {
                OwnerOnly.createDirectory(dataDirectory);
            } else if (!Files.isDirectory(dataDirectory)) {
                return;
            }
            OwnerOnly.looseAccess(dataDirectory).ifPresent(permissions -> LOG.warn(
                    "The data directory {} may be used by others than its owner ({}): it holds the database and its backups; chmod 700 it",
                    dataDirectory.toAbsolutePath(), permissions));
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the data directory " + dataDirectory, e);
        }
    }

    /**
     * Starts the ledger and makes sure a log signing key is registered before anything else is written, that the
     * second-factor key is there and opens the secrets the database holds, and that none is left in the clear.
     */
    @Override
    public void start() throws Exception {
        startWithoutSecondFactorKey();
        secondFactorSecrets.ensure(jdbi, generateKeyIfMissing);
        int sealed = secondFactor.sealStoredInTheClear();
        if (sealed > 0) {
            LOG.info("Sealed {} second-factor secrets that an earlier version stored in the clear", sealed);
        }
    }

    /** Starts everything but the second factors: for {@code keys reset-second-factors}, which replaces a lost key. */
    public void startWithoutSecondFactorKey() throws Exception {
        dataSource.start();
        housekeeping.start();
        ledger.start();
        keyAdministration.ensureCurrentKey(generateKeyIfMissing);
    }

    /** Who is shown a log payload about a detainee: whoever may read that case or evidence item now. */
    public PayloadAccess payloadAccess() {
        return new PayloadAccess((viewer, ids) -> {
            Set<UUID> readable = new HashSet<>(cases.visibleAmong(viewer, ids));
            readable.addAll(evidence.visibleAmong(viewer, ids));
            return readable;
        });
    }

    /** Writes what is queued, then closes the database connections. */
    @Override
    public void stop() throws Exception {
        ledger.stop();
        housekeeping.stop();
        dataSource.stop();
    }
}
