package org.custody.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.custody.audit.CheckpointFollowUp;

/**
 * {@code check-checkpoint KEPT --url ADDRESS [--vkey KEY]... [--save FILE]}: checks, over the service's public API and
 * with no configuration, account or database, that the log a running service shows today extends a checkpoint kept
 * earlier; one line per check; exits 0 only when everything holds. With {@code --save}, the service's current
 * checkpoint is written to FILE once it has passed, to be kept from then on.
 */
public final class CheckCheckpointCommand extends Command {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public CheckCheckpointCommand() {
        super("check-checkpoint", "Checks over the public API that a running service's log extends a checkpoint kept earlier");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("kept").help("the checkpoint kept earlier (a text file, as GET /api/v1/log/checkpoint sent it)");
        subparser.addArgument("--url").dest("url").required(true).help("the service's address, e.g. https://custody.example.org");
        subparser.addArgument("--vkey").dest("vkey").action(Arguments.append())
                .help("a verifier key the organisation published (<name>+<key id>+<key>); give each key that may have signed, after a rotation both");
        subparser.addArgument("--save").dest("save").help("where to write the service's current checkpoint once every check holds (may be KEPT itself)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        long started = System.nanoTime();
        String kept = KeptCheckpoint.read(namespace.getString("kept"), Path.of(namespace.getString("kept")));
        URI service = serviceAddress(namespace.getString("url"));
        List<String> keys = namespace.getList("vkey") == null ? List.of() : namespace.<String>getList("vkey");
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        CheckpointFollowUp.Outcome outcome = new CheckpointFollowUp(http, service, bootstrap.getObjectMapper(), TIMEOUT).check(kept, keys);
        String save = namespace.getString("save");
        if (save != null && outcome.current().isPresent()) {
            try {
                save(Path.of(save), outcome.current().get());
                outcome.findings().pass("the service's current checkpoint is saved in " + save + ": keep it in place of the old one");
            } catch (IOException e) {
                outcome.findings().problem("--save " + save + ": cannot be written (" + e.getClass().getSimpleName() + "); the kept file is as it was");
            }
        }
        Verdict.print(outcome.findings(), started);
    }

    private static URI serviceAddress(String url) {
        try {
            URI address = new URI(url.endsWith("/") ? url : url + "/");
            if (!("https".equalsIgnoreCase(address.getScheme()) || "http".equalsIgnoreCase(address.getScheme())) || address.getHost() == null) {
                throw new CommandFailedException("--url " + url + ": not an http(s) address");
            }
            return address;
        } catch (URISyntaxException e) {
            throw new CommandFailedException("--url " + url + ": not an address");
        }
    }

    /** Written beside the file and moved over it, so that a kept checkpoint is never left half replaced. */
    private static void save(Path file, String checkpoint) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path written = Files.createTempFile(directory, ".checkpoint", ".tmp");
        try {
            Files.writeString(written, checkpoint, StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        CommandFailedException.report(cli, e);
    }
}
