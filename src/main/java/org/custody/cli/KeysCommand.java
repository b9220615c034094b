package org.custody.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.DatabaseFactory;
import org.custody.access.SecondFactorKey;
import org.custody.access.SecondFactorSecrets;
import org.custody.log.Actor;
import org.custody.log.LogKeys;
import org.custody.log.LogSettings;
import org.custody.log.Recorded;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.NoteKey;

/**
 * {@code keys generate config.yml}: writes the first signing key file and the second-factor key into the key directory
 * (no database needed); the service registers the signing key on its first start. {@code keys rotate config.yml}:
 * generates a signing key and makes it current through the log, the rotation entry's checkpoint signed by the old and
 * the new key. {@code keys reset-second-factors config.yml}: after the second-factor key is lost, removes every stored
 * second factor through the log and writes a new key.
 */
public final class KeysCommand extends ConfiguredCommand<CustodyConfiguration> {
    public KeysCommand() {
        super("keys", "Generates the keys, rotates the log signing key, or replaces a lost second-factor key");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("generate", "rotate", "reset-second-factors")
                .help("generate the key files, rotate the current signing key, or remove every second factor after their key was lost");
        super.configure(subparser);
    }

    @Override
    protected void run(Bootstrap<CustodyConfiguration> bootstrap, Namespace namespace, CustodyConfiguration config) throws Exception {
        DatabaseFactory.forCommand(config.getDatabase());
        if (namespace.getString("action").equals("generate")) {
            LogSettings log = config.getLog();
            Path directory = config.keyDirectory();
            Optional<Path> signingKey = signingKeyFile(directory);
            Path secondFactorKey = directory.resolve(SecondFactorKey.FILE_NAME);
            if (signingKey.isPresent() && Files.exists(secondFactorKey)) {
                throw new CommandFailedException(directory + " already holds a signing key (" + signingKey.get().getFileName()
                        + ") and the second-factor key; to make a new signing key current, run 'keys rotate'");
            }
            SecureRandom random = new SecureRandom();
            if (signingKey.isEmpty()) {
                LogSigner signer = new LogKeys(null, directory, log.getOrigin(), log.getKeyPassphrase().toCharArray()).generate(random);
                System.out.println("Wrote " + directory.resolve(signer.key().keyIdHex() + ".pem"));
                System.out.println("Verifier key: " + signer.key().verifierKey());
            }
            if (!Files.exists(secondFactorKey)) {
                SecondFactorKey.generate(secondFactorKey, log.getKeyPassphrase().toCharArray(), random);
                System.out.println("Wrote " + secondFactorKey + " (seals users' second-factor secrets in the database)");
            }
            return;
        }
        Core core = Core.build(config, bootstrap.getObjectMapper(), bootstrap.getValidatorFactory().getValidator(), new MetricRegistry(), Clock.systemUTC());
        if (namespace.getString("action").equals("reset-second-factors")) {
            resetSecondFactors(core);
            return;
        }
        core.start();
        try {
            Recorded<NoteKey> rotated = core.keyAdministration().rotate(Actor.SYSTEM);
            System.out.println("Rotated to key " + rotated.value().keyIdHex() + " at log index " + rotated.logIndex());
            System.out.println("Verifier key: " + rotated.value().verifierKey());
        } finally {
            core.stop();
        }
    }

    /**
     * The way back when the second-factor key is lost: the service does not start without it, and every administrator
     * who enrolled is locked out. Each stored second factor is removed through the log (a {@code user.totp_reset}
     * entry each, by the system), then a new key is written; the users enrol again, administrators at their next sign-in.
     * Refused while the key there opens every stored second factor, so it cannot be run by mistake on a healthy service.
     */
    private static void resetSecondFactors(Core core) throws Exception {
        core.startWithoutSecondFactorKey();
        try {
            SecondFactorSecrets secrets = core.secondFactorSecrets();
            if (secrets.fitsTheDatabase(core.jdbi())) {
                throw new CommandFailedException("the second-factor key " + secrets.file().toAbsolutePath()
                        + " is the database's and opens every stored second factor: nothing to reset");
            }
            int reset = core.secondFactor().resetAll(Actor.SYSTEM);
            Optional<Path> setAside = secrets.replaceKey(core.jdbi());
            System.out.println("Removed the second factors of " + reset + " users (a user.totp_reset entry each); they enrol again");
            setAside.ifPresent(file -> System.out.println("Set the key that was there aside as " + file));
            System.out.println("Wrote a new second-factor key to " + secrets.file().toAbsolutePath() + ": back it up with the signing keys");
        } finally {
            core.stop();
        }
    }

    /**
     * The signing key file already in the directory, if any. A second one beside it would never sign (the service keeps
     * its registered key, and refuses to start with two unregistered ones), yet its verifier key printed here could be
     * published as the log's: so the command writes none and names {@code keys rotate}, which makes a new key current
     * through the log. (It still writes the second-factor key, if missing, for a key directory from before there was one.)
     */
    private static Optional<Path> signingKeyFile(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".pem")).sorted().findFirst();
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
