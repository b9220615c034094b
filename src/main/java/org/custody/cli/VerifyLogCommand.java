package org.custody.cli;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;
import org.custody.Migrations;
import org.custody.audit.Findings;
import org.custody.audit.LogVerifier;
import org.custody.common.H2Urls;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code verify-log config.yml [--checkpoint FILE]}: checks the whole log and the tables it describes, read-only,
 * printing one line per check and per problem; exits 0 only when everything holds.
 */
public final class VerifyLogCommand extends ConfiguredCommand<CustodyConfiguration> {
    public VerifyLogCommand() {
        super("verify-log", "Verifies the audit log, its checkpoints and the tables against it");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--checkpoint").dest("checkpoint").help("a signed checkpoint kept earlier: the log must extend it");
    }

    @Override
    protected void run(Bootstrap<CustodyConfiguration> bootstrap, Namespace namespace, CustodyConfiguration config) throws Exception {
        DatabaseFactory.forCommand(config.getDatabase());
        Optional<String> kept = KeptCheckpoint.read(namespace);
        // read-only: an H2 file that is not there is reported, not created empty
        config.getDatabase().setUrl(H2Urls.existingOnly(config.getDatabase().getUrl()));
        long started = System.nanoTime();
        Verdict.print(verify(config, bootstrap.getObjectMapper(), kept, "verify-log"), started);
    }

    /** Verifies the log of the database {@code config} names, through a pool of its own ({@code poolName}), closed after. */
    static Findings verify(CustodyConfiguration config, ObjectMapper mapper, Optional<String> kept, String poolName) {
        ManagedDataSource dataSource = config.getDatabase().build(new MetricRegistry(), poolName);
        try {
            return verify(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()), config, mapper, kept);
        } finally {
            try {
                dataSource.stop();
            } catch (Exception ignored) {
                // the pool closes with the JVM
            }
        }
    }

    /**
     * Verifies the log through {@code jdbi}. A query that names a table or column the database lacks most likely means a
     * jar newer than the schema: then the change sets not applied are named, with the command to run. Liquibase is
     * asked only then, since asking costs most of a second that every check would pay.
     */
    static Findings verify(Jdbi jdbi, CustodyConfiguration config, ObjectMapper mapper, Optional<String> kept) {
        try {
            return new LogVerifier(jdbi, mapper, config.getLog().getOrigin()).verify(kept);
        } catch (RuntimeException e) {
            if (CommandFailedException.missingTableOrColumn(e)) {
                Migrations.requireApplied(config.getDatabase(), new MetricRegistry());
            }
            throw e;
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
