package org.custody.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;
import org.custody.backup.H2Backups;
import org.custody.backup.H2Compaction;

/**
 * {@code compact config.yml}: with the service stopped, rewrites the embedded H2 database file with its live pages
 * only, checks the copy row by row and with verify-log, and keeps the original beside it for its operator to delete.
 */
public final class CompactCommand extends ConfiguredCommand<CustodyConfiguration> {
    public CompactCommand() {
        super("compact", "Gives the embedded H2 database's unused disk space back (the service stopped)");
    }

    @Override
    protected void run(Bootstrap<CustodyConfiguration> bootstrap, Namespace namespace, CustodyConfiguration config) {
        DatabaseFactory.forCommand(config.getDatabase());
        String url = config.getDatabase().getUrl();
        if (!H2Backups.isH2File(url)) {
            throw new IllegalArgumentException("compact is for the embedded H2 database; PostgreSQL gives space back with VACUUM FULL (README)");
        }
        System.out.println("Copying the live pages of " + H2Backups.databaseFile(url));
        long started = System.nanoTime();
        H2Compaction.Compacted compacted;
        try {
            compacted = H2Compaction.compact(url, config.getDatabase().getUser(), config.getDatabase().getPassword(),
                    copyUrl -> {
                        config.getDatabase().setUrl(copyUrl);
                        return VerifyLogCommand.verify(config, bootstrap.getObjectMapper(), Optional.empty(), "compact");
                    });
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage());
        }
        System.out.println("verify-log on the copy:");
        compacted.verifyLog().lines().forEach(System.out::println);
        if (!compacted.verifyLog().ok()) {
            System.out.println("The copy fails verify-log, so the database was left as it is: run verify-log on it and keep it as it is");
            throw CommandFailedException.problems(compacted.verifyLog().problems().size());
        }
        System.out.printf("OK   the copy holds the same rows as the original in each of its %d tables%n", compacted.tables());
        System.out.printf("COMPACTED %s: %,d MiB before, %,d MiB now, in %.1f s%n", compacted.database(), compacted.bytesBefore() >> 20,
                compacted.bytesAfter() >> 20, (System.nanoTime() - started) / 1e9);
        System.out.println("The file as it was is kept as " + compacted.keptOriginal() + ": delete it once you no longer need it.");
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
