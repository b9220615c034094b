package org.custody.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Restore;
import org.custody.common.H2Urls;
import org.custody.common.OwnerOnly;
import org.jdbi.v3.core.Jdbi;

/**
 * Backups of the embedded H2 database. {@code BACKUP TO} copies the database file consistently while the service keeps
 * writing (H2 copies it inside one transaction). The keys (the log's signing keys, the second-factor key) are never in a
 * backup: they live outside the database and are backed up apart (README, "Backup and restore").
 */
public final class H2Backups {
    private static final Pattern FILE_URL = Pattern.compile("jdbc:h2:(?:file:)?([^;:]+)(;.*)?", Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private H2Backups() {}

    /** An embedded H2 file database whose file this can name: the kind {@code backup} and {@code restore} handle. */
    public static boolean isH2File(String url) {
        return H2Urls.isEmbeddedFile(url) && FILE_URL.matcher(url).matches();
    }

    /** The database file an embedded H2 file URL names: {@code /srv/data/custody.mv.db} for {@code jdbc:h2:file:/srv/data/custody}. */
    public static Path databaseFile(String url) {
        Path base = base(url);
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    /** The same URL, settings and all, naming the database whose file is {@code file} (…{@code .mv.db}) instead. */
    static String withDatabaseFile(String url, Path file) {
        Matcher matcher = fileUrl(url);
        if (!file.getFileName().toString().endsWith(".mv.db")) {
            throw new IllegalArgumentException("not an H2 database file: " + file.getFileName());
        }
        String name = file.toAbsolutePath().toString();
        return "jdbc:h2:file:" + name.substring(0, name.length() - ".mv.db".length()) + (matcher.group(2) == null ? "" : matcher.group(2));
    }

    private static Path base(String url) {
        return Path.of(fileUrl(url).group(1)).toAbsolutePath();
    }

    /** The URL matched as an embedded H2 file database's: group 1 its path, group 2 its settings. */
    private static Matcher fileUrl(String url) {
        Matcher matcher = FILE_URL.matcher(url);
        if (!isH2File(url) || !matcher.matches()) {
            throw new IllegalArgumentException("database.url does not name an embedded H2 file database");
        }
        return matcher;
    }

    /** A fresh name for a backup in {@code directory}: custody-backup-20261123T210000Z.zip. */
    public static Path nextBackupFile(Path directory, Clock clock) {
        return directory.resolve("custody-backup-" + STAMP.format(clock.instant()) + ".zip");
    }

    /** Writes an online, consistent copy of the database to {@code target}, which must not exist yet. */
    public static Path backup(Jdbi jdbi, Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists: a backup never overwrites a file");
        }
        try {
            // H2 writes into the file it finds, keeping its permissions: a backup holds every record, so only its owner may read it
            OwnerOnly.createDirectory(target.toAbsolutePath().getParent());
            OwnerOnly.createFile(target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            jdbi.useHandle(handle -> handle.execute("BACKUP TO ?", target.toAbsolutePath().toString()));
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(target);
            } catch (java.io.IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return target;
    }

    /**
     * Unpacks a backup where the configured URL expects the database. Refuses to overwrite an existing database: to
     * restore over one, move it away first (and keep it: it may hold what the backup does not).
     */
    public static Path restore(Path backup, String url) throws SQLException {
        if (!isH2File(url)) {
            throw new IllegalArgumentException("restore is for the embedded H2 file database; for PostgreSQL use pg_restore (README)");
        }
        Path database = base(url);
        Path directory = database.getParent();
        String name = database.getFileName().toString();
        if (Files.exists(directory.resolve(name + ".mv.db"))) {
            throw new IllegalArgumentException(directory.resolve(name + ".mv.db") + " exists: move it away before restoring over it");
        }
        if (!Files.isRegularFile(backup)) {
            throw new IllegalArgumentException(backup + " is not a file");
        }
        try {
            OwnerOnly.createDirectory(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Restore.execute(backup.toAbsolutePath().toString(), directory.toString(), name);
        if (!Files.exists(directory.resolve(name + ".mv.db"))) {
            throw new IllegalArgumentException(backup + " holds no database named " + name);
        }
        return directory.resolve(name + ".mv.db");
    }
}
