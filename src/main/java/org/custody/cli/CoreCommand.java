package org.custody.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;

/** A command-line tool that works through the same {@link Core} (and so the same ledger) as the server. */
abstract class CoreCommand extends ConfiguredCommand<CustodyConfiguration> {
    CoreCommand(String name, String description) {
        super(name, description);
    }

    @Override
    protected final void run(Bootstrap<CustodyConfiguration> bootstrap, Namespace namespace, CustodyConfiguration config) throws Exception {
        DatabaseFactory.forCommand(config.getDatabase());
        Core core = Core.build(config, bootstrap.getObjectMapper(), bootstrap.getValidatorFactory().getValidator(),
                new MetricRegistry(), Clock.systemUTC());
        core.start();
        try {
            run(core, namespace);
        } finally {
            core.stop();
        }
    }

    protected abstract void run(Core core, Namespace namespace) throws Exception;

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
