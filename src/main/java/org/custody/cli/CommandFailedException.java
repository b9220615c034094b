package org.custody.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import java.io.FileNotFoundException;
import java.sql.SQLException;
import java.util.Set;
import org.custody.Migrations;

/**
 * A command stopped for a reason its user can act on (a file it cannot read, a verification that failed): the jar
 * prints the message alone and exits with status 1. Any other exception is a bug and keeps its stack trace.
 */
public final class CommandFailedException extends RuntimeException {
    /** SQLStates of a table that is not there: H2's (database empty or not) and PostgreSQL's. */
    private static final Set<String> NO_SUCH_TABLE = Set.of("42S02", "42S04", "42P01");
    /** SQLStates of a column that is not there: H2's and PostgreSQL's. */
    private static final Set<String> NO_SUCH_COLUMN = Set.of("42S22", "42703");
    /** H2's SQLStates for a file that is no database (an I/O error), a damaged one, or one of another format version. */
    private static final Set<String> NOT_A_DATABASE = Set.of("90028", "90030", "90048");

    public CommandFailedException(String message) {
        super(message, null, false, false);
    }

    /** Verification found problems; the lines before said which. */
    static CommandFailedException problems(int count) {
        return new CommandFailedException("verification failed with " + count + " problem(s), listed above");
    }

    /**
     * A database the command cannot use, as one line its operator can act on; null when {@code e} has no SQL error in
     * its causes, or one that means a bug. The line names the SQLState, not the driver's message, which may quote a
     * statement and the values in it.
     */
    static CommandFailedException fromDatabase(Throwable e) {
        String state = sqlState(e);
        if (state == null) {
            return null;
        }
        String what = switch (state) {
            case "90146", "3D000" -> "the configured database does not exist: check database.url";
            case "90020" -> "the database is open in another process (the service?)";
            default -> {
                if (NO_SUCH_TABLE.contains(state)) {
                    yield "the database has no Custody tables: check database.url, or start the service once against it to create them";
                } else if (state.startsWith("08")) {
                    yield "cannot connect to the database: is it running, and is database.url right?";
                } else if (state.startsWith("28")) {
                    yield "the database refused the configured user or password";
                }
                yield null;
            }
        };
        return what == null ? null : new CommandFailedException(what + " (SQLState " + state + ")");
    }

    /** Whether {@code e} says a statement named a table or column the database does not have (H2's and PostgreSQL's states). */
    static boolean missingTableOrColumn(Throwable e) {
        String state = sqlState(e);
        return NO_SUCH_TABLE.contains(state) || NO_SUCH_COLUMN.contains(state);
    }

    /** Whether {@code e} says the H2 file it opened holds no database H2 can read. */
    static boolean notADatabase(Throwable e) {
        return NOT_A_DATABASE.contains(sqlState(e));
    }

    /** The SQLState of the first SQL error among {@code e} and its causes, or null. */
    static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /**
     * How this jar's commands report an error. {@link IllegalArgumentException} is what they throw for arguments or
     * files that are wrong (a backup that would overwrite a file, a role that does not exist); Dropwizard reports a
     * configuration file it cannot find or parse with the other two; a database that cannot be used is
     * {@link #fromDatabase}.
     */
    static void report(Cli cli, Throwable e) {
        CommandFailedException database = fromDatabase(e);
        if (database != null) {
            cli.getStdErr().println("error: " + database.getMessage());
        } else if (e instanceof CommandFailedException || e instanceof IllegalArgumentException || e instanceof ConfigurationException
                || e instanceof FileNotFoundException || e instanceof Migrations.SchemaBehindException) {
            cli.getStdErr().println("error: " + e.getMessage());
        } else {
            e.printStackTrace(cli.getStdErr());
        }
        cli.getStdErr().flush();
    }
}
