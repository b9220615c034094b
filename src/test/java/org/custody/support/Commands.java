package org.custody.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.custody.CustodyApplication;

/** Runs the jar's commands in the test's JVM, as its main method would, but reports a failing command instead of exiting. */
public final class Commands {
    private Commands() {}

    /** The command's standard output. */
    public static String run(String... arguments) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            new CustodyApplication() {
                @Override
                protected void onFatalError(Throwable t) {
                    throw new CommandFailed(captured.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
                }
            }.run(arguments);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        err.print(errors.toString(StandardCharsets.UTF_8));
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The command ended with a failure (exit status 1 from the jar); {@code output} and {@code errors} are what it printed. */
    public static final class CommandFailed extends RuntimeException {
        public final String output;
        public final String errors;

        CommandFailed(String output, String errors) {
            super("command failed");
            this.output = output;
            this.errors = errors;
        }
    }
}
