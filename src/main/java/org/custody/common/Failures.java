package org.custody.common;

import java.sql.SQLException;

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
}
