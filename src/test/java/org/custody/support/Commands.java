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
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new CustodyApplication() {
                @Override
                protected void onFatalError(Throwable t) {
                    throw new CommandFailed(captured.toString(StandardCharsets.UTF_8));
                }
            }.run(arguments);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The command ended with a failure (exit status 1 from the jar); {@code output} is what it printed. */
    public static final class CommandFailed extends RuntimeException {
        public final String output;

        CommandFailed(String output) {
            super("command failed");
            this.output = output;
        }
    }
}
