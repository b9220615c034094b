package org.custody.common;

import java.sql.SQLException;
import java.util.function.Predicate;

/**
 * Describes a failure for the service's own log without its messages: database driver and JDBI messages
 * quote statements and bound values, which here are people's names. Class names and SQL states only.
 */
public final class Failures {
    private Failures() {}

    public static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (out.length() > 0) out.append(" <- ");
            out.append(cause.getClass().getName());
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                out.append(" (SQLState ").append(sql.getSQLState()).append(')');
            }
            StackTraceElement[] trace = cause.getStackTrace();
            if (trace.length > 0) {
                out.append(" at ").append(trace[0]);
            }
        }
        return out.toString();
    }

    /** Whether {@code failure} or any of its causes passes {@code test}. */
    public static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the database refused the service's own role a privilege (SQL state 42501): a deployment whose role was
     * granted before a release that needs one more (README, "Append-only, in the database too").
     */
    public static boolean privilegeMissing(Throwable failure) {
        return anyCause(failure, cause -> cause instanceof SQLException sql && "42501".equals(sql.getSQLState()));
    }

    /**
     * Whether the failure is the database being out of reach (down, restarting, refusing connections, the pool
     * exhausted) rather than a bug: SQL state class 08 (connection exception), 57P (PostgreSQL shutting down), 53
     * (insufficient resources: disk full, too many connections), the JDBC transient-connection types, H2's "database
     * closed" codes, or a refused socket.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        return anyCause(failure, cause -> {
            if (cause instanceof java.sql.SQLTransientConnectionException || cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof java.net.ConnectException || cause instanceof org.jdbi.v3.core.ConnectionException) {
                return true;
            }
            String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
            return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.equals("90098")
                    || state.equals("90121"));
        });
    }
}
