package org.custody.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import java.io.FileNotFoundException;

/**
 * A command stopped for a reason its user can act on (a file it cannot read, a verification that failed): the jar
 * prints the message alone and exits with status 1. Any other exception is a bug and keeps its stack trace.
 */
public final class CommandFailedException extends RuntimeException {
    public CommandFailedException(String message) {
        super(message, null, false, false);
    }

    /** Verification found problems; the lines before said which. */
    static CommandFailedException problems(int count) {
        return new CommandFailedException("verification failed with " + count + " problem(s), listed above");
    }

    /**
     * How this jar's commands report an error. {@link IllegalArgumentException} is what they throw for arguments or
     * files that are wrong (a backup that would overwrite a file, a role that does not exist); Dropwizard reports a
     * configuration file it cannot find or parse with the other two.
     */
    static void report(Cli cli, Throwable e) {
        if (e instanceof CommandFailedException || e instanceof IllegalArgumentException || e instanceof ConfigurationException
                || e instanceof FileNotFoundException) {
            cli.getStdErr().println("error: " + e.getMessage());
        } else {
            e.printStackTrace(cli.getStdErr());
        }
        cli.getStdErr().flush();
    }
}
