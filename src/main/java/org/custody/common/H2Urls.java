package org.custody.common;

import java.util.Locale;

/** What an H2 JDBC URL says about where the database lives: one reading for the ledger, housekeeping and backups. */
public final class H2Urls {
    private H2Urls() {}

    /** An H2 database inside this process (files or memory), not one reached over the network ({@code tcp:}, {@code ssl:}). */
    public static boolean isEmbedded(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
    }

    /** Embedded and stored in files (any file system H2 offers), not in memory. */
    public static boolean isEmbeddedFile(String url) {
        return isEmbedded(url) && !url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:");
    }

    /**
     * Whether only this process can write the database: an embedded one (H2 opens a file for one process; memory is
     * this JVM's), unless AUTO_SERVER lets other processes in through this one.
     */
    public static boolean hasSoleWriter(String url) {
        return isEmbedded(url) && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    /**
     * The URL as this project opens an embedded database (the service's pool, the migrations', a command's), with two
     * settings added unless the URL gives its own:
     * <ul>
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 otherwise closes the database from a JVM shutdown hook of its own, which
     *       runs beside Dropwizard's, so a SIGTERM under load closed it while the ledger was still writing what was
     *       queued, and those writes were answered 503 instead of committed. The service closes the database itself,
     *       after the ledger, when its pool stops.</li>
     *   <li>{@code TRACE_LEVEL_FILE=0}: H2 otherwise writes every exception it raises, with its message, to a
     *       {@code .trace.db} file beside the database, and the messages of some (a value too long for its column, a
     *       duplicate key, a value that does not convert) quote the values of the row: names of detained people in a
     *       file no log policy of the service covers. Failures reach the service's own log, which names their class
     *       and SQLState, never their values ({@link Failures#describe}).</li>
     * </ul>
     */
    public static String asTheServiceOpensIt(String url) {
        if (url == null || !isEmbedded(url)) {
            return url;
        }
        return withSetting(withSetting(url, "DB_CLOSE_ON_EXIT", "FALSE"), "TRACE_LEVEL_FILE", "0");
    }

    private static String withSetting(String url, String name, String value) {
        return url.toUpperCase(Locale.ROOT).contains(";" + name + "=") ? url : url + ";" + name + "=" + value;
    }

    /**
     * The URL with {@code IFEXISTS=TRUE} added when it names an embedded file database, so that a read-only command
     * pointed at the wrong place reports a missing database instead of creating an empty one.
     */
    public static String existingOnly(String url) {
        if (!isEmbeddedFile(url) || url.toUpperCase(Locale.ROOT).contains("IFEXISTS=")) {
            return url;
        }
        return url + ";IFEXISTS=TRUE";
    }
}
