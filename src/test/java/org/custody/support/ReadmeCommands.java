package org.custody.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commands as README gives them to operators, read from README itself, so that the tests and benchmarks that run them
 * run what an operator copies, and a typo in README's command fails a test rather than an operator's check.
 */
public final class ReadmeCommands {
    private static final Pattern VERIFY_LOG = Pattern.compile("On the server, `java ((?:-\\S+ )*)-jar target/custody\\.jar verify-log ");

    private ReadmeCommands() {}

    /** The JVM options of README's {@code verify-log} command ("Checking the log"), in README's order. */
    public static List<String> verifyLogJvmOptions() {
        Matcher command = VERIFY_LOG.matcher(readme());
        if (!command.find()) {
            throw new IllegalStateException("README.md has no line \"On the server, `java [options] -jar target/custody.jar verify-log ...`\"");
        }
        String options = command.group(1).strip();
        return options.isEmpty() ? List.of() : List.of(options.split(" "));
    }

    private static String readme() {
        try {
            return Files.readString(Path.of("README.md")); // Maven runs tests in the project's directory
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
