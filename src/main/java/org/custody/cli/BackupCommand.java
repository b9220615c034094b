package org.custody.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Path;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;
import org.custody.backup.H2Backups;
import org.custody.common.H2Urls;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code backup config.yml [--to FILE.zip]}: a consistent copy of the embedded H2 database while the service is
 * stopped. While it runs, the database file is the service's: use its admin task ({@code POST /tasks/backup}).
 * PostgreSQL is backed up with its own tools (pg_dump; README).
 */
public final class BackupCommand extends ConfiguredCommand<CustodyConfiguration> {
    public BackupCommand() {
        super("backup", "Backs up the embedded H2 database (the signing keys are backed up apart)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--to").dest("to").help("the backup file (.zip); default <dataDirectory>/backups/custody-backup-<time>.zip");
    }

    @Override
    protected void run(Bootstrap<CustodyConfiguration> bootstrap, Namespace namespace, CustodyConfiguration config) {
        DatabaseFactory.forCommand(config.getDatabase());
        String url = config.getDatabase().getUrl();
        if (!H2Backups.isH2File(url)) {
            throw new IllegalArgumentException("backup is for the embedded H2 database; back PostgreSQL up with pg_dump -Fc (README)");
        }
        Path target = namespace.getString("to") != null ? Path.of(namespace.getString("to"))
                : H2Backups.nextBackupFile(Path.of(config.getDataDirectory()).resolve("backups"), Clock.systemUTC());
        // a database that is not there is reported, not created empty and backed up
        config.getDatabase().setUrl(H2Urls.existingOnly(url));
        ManagedDataSource dataSource = config.getDatabase().build(new MetricRegistry(), "backup");
        try {
            H2Backups.backup(Jdbi.create(dataSource), target);
        } catch (org.jdbi.v3.core.ConnectionException e) {
            if ("90020".equals(CommandFailedException.sqlState(e))) {
                throw new CommandFailedException(CommandFailedException.fromDatabase(e).getMessage()
                        + "; while the service runs, back up through its admin task: curl -X POST http://127.0.0.1:<admin port>/tasks/backup");
            }
            throw e; // CommandFailedException.report names any other problem of the database in one line
        } finally {
            try {
                dataSource.stop();
            } catch (Exception ignored) {
                // the pool closes with the JVM
            }
        }
        System.out.println("Backed up the database to " + target.toAbsolutePath());
        System.out.println("The keys (the log's signing keys, the second-factor key) are not in it: back up the key directory apart.");
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
