package org.custody.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.audit.Findings;
import org.custody.export.BundleVerifier;

/**
 * {@code verify-export BUNDLE.zip [--vkey KEY] [--previous EARLIER.zip]}: checks an export bundle offline, with no
 * configuration, database or network; one line per check; exits 0 only when everything holds.
 */
public final class VerifyExportCommand extends Command {
    public VerifyExportCommand() {
        super("verify-export", "Verifies an export bundle offline: manifest, signatures, proofs, payloads and case files");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("bundle").help("the bundle (.zip) to verify");
        subparser.addArgument("--vkey").dest("vkey").help("the organisation's published verifier key (<name>+<key id>+<key>)");
        subparser.addArgument("--previous").dest("previous").help("an earlier bundle of the same requester: this one's log must extend it");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) {
        long started = System.nanoTime();
        Findings findings = new BundleVerifier(bootstrap.getObjectMapper()).verify(Path.of(namespace.getString("bundle")),
                Optional.ofNullable(namespace.getString("vkey")), Optional.ofNullable(namespace.getString("previous")).map(Path::of));
        Verdict.print(findings, started);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
