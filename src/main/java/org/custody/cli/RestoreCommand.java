package org.custody.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;
import org.custody.access.SecondFactorSecrets;
import org.custody.audit.Findings;
import org.custody.backup.H2Backups;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code restore config.yml BACKUP.zip [--checkpoint FILE]}: unpacks an H2 backup where config.yml expects the database
 * (never over an existing one), then runs verify-log on it, against a checkpoint kept since if one is given: an older
 * backup restored in place of a newer log fails there. Names the keys whose files are missing: the current signing key,
 * and the second-factor key once the database depends on one (and the second-factor key there when it is not the
 * database's).
 */
public final class RestoreCommand extends ConfiguredCommand<CustodyConfiguration> {
    public RestoreCommand() {
        super("restore", "Restores an H2 backup into an empty data directory and verifies the restored log");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("backup").help("the backup file (.zip) made by backup or POST /tasks/backup");
        subparser.addArgument("--checkpoint").dest("checkpoint").help("a signed checkpoint kept earlier: the restored log must extend it");
    }

    @Override
    protected void run(Bootstrap<CustodyConfiguration> bootstrap, Namespace namespace, CustodyConfiguration config) throws Exception {
        DatabaseFactory.forCommand(config.getDatabase());
        Optional<String> kept = KeptCheckpoint.read(namespace);
        Path restored = H2Backups.restore(Path.of(namespace.getString("backup")), config.getDatabase().getUrl());
        long started = System.nanoTime();
        ManagedDataSource dataSource = config.getDatabase().build(new MetricRegistry(), "restore");
        Findings findings = null;
        try {
            Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
            if (opens(jdbi)) {
                System.out.println("Restored the database to " + restored);
                findings = VerifyLogCommand.verify(jdbi, config, bootstrap.getObjectMapper(), kept);
                Path keys = config.keyDirectory();
                jdbi.withHandle(handle -> handle.createQuery("SELECT key_id FROM log_key WHERE valid_until IS NULL").mapTo(String.class).list())
                        .stream().filter(keyId -> !Files.isRegularFile(keys.resolve(keyId + ".pem")))
                        .forEach(keyId -> System.out.println("WARN the current log key " + keyId + " is not in " + keys.toAbsolutePath()
                                + ": restore it from the key backup before starting the service"));
                secondFactorKeyWarning(jdbi, config, keys).ifPresent(warning -> System.out.println("WARN " + warning));
            }
        } finally {
            dataSource.stop();
        }
        if (findings == null) {
            Files.deleteIfExists(restored);
            throw new CommandFailedException(namespace.getString("backup") + " holds no database H2 can open: it is damaged or not a Custody "
                    + "backup; the file it unpacked was removed, so nothing is restored");
        }
        Verdict.print(findings, started);
    }

    /**
     * What stops the key directory's second-factor key from serving the restored database, once the database depends on
     * one: the file missing, another key than the database records, one that does not open its secrets. The service
     * would not start so; this says it before anyone tries.
     */
    private static Optional<String> secondFactorKeyWarning(Jdbi jdbi, CustodyConfiguration config, Path keys) {
        SecondFactorSecrets secrets = new SecondFactorSecrets(keys, config.getLog().getKeyPassphrase().toCharArray(), new SecureRandom(),
                Clock.systemUTC());
        if (!secrets.inUse(jdbi)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(secrets.file())) {
            return Optional.of("the second-factor key is not in " + keys.toAbsolutePath() + ": restore it from the key backup before "
                    + "starting the service; without it no enrolled second factor can be checked");
        }
        return secrets.problem(jdbi).map(problem -> problem + "; the service will not start with it");
    }

    /** Whether the restored file opens as a database. */
    private static boolean opens(Jdbi jdbi) {
        try {
            jdbi.useHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
            return true;
        } catch (org.jdbi.v3.core.ConnectionException e) {
            if (CommandFailedException.notADatabase(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
