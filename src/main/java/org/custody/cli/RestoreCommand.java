package org.custody.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;
import org.custody.access.SecondFactorKey;
import org.custody.audit.Findings;
import org.custody.backup.H2Backups;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code restore config.yml BACKUP.zip [--checkpoint FILE]}: unpacks an H2 backup where config.yml expects the database
 * (never over an existing one), then runs verify-log on it, against a checkpoint kept since if one is given: an older
 * backup restored in place of a newer log fails there. Names the keys whose files are missing: the current signing key,
 * and the second-factor key when users have enrolled one.
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
                Path keys = config.getLog().getKeyDirectory() == null ? Path.of(config.getDataDirectory()).resolve("keys") : Path.of(config.getLog().getKeyDirectory());
                jdbi.withHandle(handle -> handle.createQuery("SELECT key_id FROM log_key WHERE valid_until IS NULL").mapTo(String.class).list())
                        .stream().filter(keyId -> !Files.isRegularFile(keys.resolve(keyId + ".pem")))
                        .forEach(keyId -> System.out.println("WARN the current log key " + keyId + " is not in " + keys.toAbsolutePath()
                                + ": restore it from the key backup before starting the service"));
                long sealedSecrets = jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL")
                        .mapTo(Long.class).one());
                if (sealedSecrets > 0 && !Files.isRegularFile(keys.resolve(SecondFactorKey.FILE_NAME))) {
                    System.out.println("WARN the second-factor key is not in " + keys.toAbsolutePath() + ": restore it from the key backup "
                            + "before starting the service; without it no enrolled second factor can be checked");
                }
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
