package org.custody.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.custody.audit.Findings;
import org.custody.common.H2Urls;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.MVStoreTool;

/**
 * Gives the embedded H2 database's disk space back, with the service stopped. H2 writes every commit as new pages at
 * the end of its file and reuses the space of old ones, but does not shorten the file: after a burst of writes (an
 * import, a benchmark's million entries) it stays at its largest (7 GB for a million entries whose live pages take
 * 1.2 GB), even once {@link H2Housekeeping} has moved the live pages together. This copies the live pages into a new
 * file with H2's own tool, proves the copy holds what the original holds, and only then puts it in the original's
 * place, keeping the original under another name for its operator to delete.
 *
 * <p>What proves the copy: every table holds the same rows in the same order, compared by a digest of every value, and
 * {@code verify-log} passes on the copy. A database that fails {@code verify-log} is left as it is: its old pages may
 * be what shows how it was changed.
 */
public final class H2Compaction {
    /** The copy while it is being made and checked; only ever this class's own file. */
    static final String COPY_SUFFIX = ".compacting";
    /** The original, kept beside the compacted database: {@code custody.mv.db.before-compact}. */
    static final String KEPT_SUFFIX = ".before-compact";
    private static final String MV_DB = ".mv.db";

    /**
     * A compaction's outcome: the database file, its size before and after, where the original is kept, and what
     * {@code verify-log} found on the copy. When that failed, nothing moved: the size is the same, nothing is kept apart.
     */
    public record Compacted(Path database, long bytesBefore, long bytesAfter, Path keptOriginal, int tables, Findings verifyLog) {}

    private H2Compaction() {}

    /**
     * Compacts the database {@code url} names. {@code verifyLog} runs {@code verify-log} on the database at the JDBC URL
     * it is given (the copy's: the original's URL and settings, another file).
     *
     * @throws IllegalArgumentException the database cannot be compacted as it is (not an H2 file, in use, encrypted,
     *     an earlier original still kept); nothing was written
     * @throws IllegalStateException the copy could not be made or is not the same; it is deleted, the database is as it was
     */
    public static Compacted compact(String url, String user, String password, Function<String, Findings> verifyLog) {
        Path database = H2Backups.databaseFile(url);
        String upper = url.toUpperCase(Locale.ROOT);
        if (upper.contains("CIPHER=") || upper.contains("FILE_PASSWORD")) {
            throw new IllegalArgumentException("compact does not handle an encrypted H2 file");
        }
        if (!Files.isRegularFile(database)) {
            throw new IllegalArgumentException(database + " does not exist: check database.url");
        }
        Path kept = sibling(database, MV_DB + KEPT_SUFFIX);
        if (Files.exists(kept)) {
            throw new IllegalArgumentException(kept + " is kept from an earlier compaction: delete it or move it away first");
        }
        Path copy = sibling(database, COPY_SUFFIX + MV_DB);
        String copyUrl = H2Backups.withDatabaseFile(url, copy);
        try {
            long before = Files.size(database);
            Files.deleteIfExists(copy); // left by a compaction that was interrupted: never anyone else's file
            copyLivePages(database, copy);
            int tables = sameRows(readOnly(url), readOnly(copyUrl), user, password);
            Findings findings = verifyLog.apply(H2Urls.existingOnly(copyUrl));
            if (!findings.ok()) {
                Files.delete(copy);
                return new Compacted(database, before, before, null, tables, findings);
            }
            // The database file is there at every moment: the original gains a second name, then the copy takes its place.
            Files.createLink(kept, database);
            try {
                Files.move(copy, database, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.delete(kept); // the original's second name only
                throw e;
            }
            force(database.getParent(), StandardOpenOption.READ);
            return new Compacted(database, before, Files.size(database), kept, tables, findings);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new IllegalStateException("compaction stopped: " + e.getMessage() + "; the database is as it was", e);
        } catch (RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    /** H2's copy of every map's live pages into a new store, closed without moving anything and forced to the disk. */
    private static void copyLivePages(Path database, Path copy) throws IOException {
        MVStore source;
        try {
            source = new MVStore.Builder().fileName(database.toString()).readOnly().open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new IllegalArgumentException("the database is open in another process (the service?): stop it before compacting");
            }
            throw e;
        }
        try {
            MVStore target = new MVStore.Builder().fileName(copy.toString()).open();
            try {
                MVStoreTool.compact(source, target);
                target.commit();
            } catch (MVStoreException e) {
                throw new IOException("the copy could not be written (" + e.getMessage() + ")", e);
            } finally {
                // No compaction on close: H2 2.3.232's lost the last commit of a file (README, "Durability of the embedded default").
                target.close(0);
            }
        } finally {
            source.close(0);
        }
        force(copy, StandardOpenOption.WRITE);
    }

    /**
     * Whether both databases hold the same tables with the same rows, each table read in its key order and every value
     * digested; returns how many tables. Throws when they differ, naming the table (never a value).
     */
    static int sameRows(String originalUrl, String copyUrl, String user, String password) {
        try (Connection original = DriverManager.getConnection(originalUrl, user, password);
             Connection copy = DriverManager.getConnection(copyUrl, user, password)) {
            for (Connection connection : List.of(original, copy)) {
                try (Statement statement = connection.createStatement()) {
                    // rows handed over as read: without it H2 builds each table's whole result first, in memory
                    statement.execute("SET LAZY_QUERY_EXECUTION TRUE");
                }
            }
            List<String> tables = tables(original);
            if (!tables.equals(tables(copy))) {
                throw new IllegalStateException("the copy does not hold the same tables as the original; the database is as it was");
            }
            for (String table : tables) {
                if (!MessageDigest.isEqual(digest(original, table), digest(copy, table))) {
                    throw new IllegalStateException("the copy's table " + table + " differs from the original's; the database is as it was");
                }
            }
            return tables.size();
        } catch (SQLException e) {
            throw new IllegalStateException("the copy could not be compared with the original (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                     + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** SHA-256 over the table's row count and every value, row by row in scan order (its primary key's). */
    private static byte[] digest(Connection connection, String table) throws SQLException {
        MessageDigest sha256 = sha256();
        long rows = 0;
        try (Statement statement = connection.createStatement();
             // the name comes from the database's own catalogue, quoted as an identifier
             ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                rows++;
                for (int column = 1; column <= columns; column++) {
                    int type = rs.getMetaData().getColumnType(column);
                    byte[] value = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB
                            ? rs.getBytes(column) : bytes(rs.getString(column));
                    if (value == null) {
                        sha256.update((byte) 0);
                    } else {
                        sha256.update((byte) 1);
                        sha256.update(ByteBuffer.allocate(4).putInt(value.length).array());
                        sha256.update(value);
                    }
                }
            }
        }
        sha256.update(ByteBuffer.allocate(8).putLong(rows).array());
        return sha256.digest();
    }

    private static byte[] bytes(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** The database's URL, opened for reading only: the compaction never writes the original, nor the copy once made. */
    private static String readOnly(String url) {
        return H2Urls.asTheServiceOpensIt(H2Urls.existingOnly(url)) + ";ACCESS_MODE_DATA=r";
    }

    private static Path sibling(Path database, String suffix) {
        return database.resolveSibling(baseName(database) + suffix);
    }

    /** {@code custody} of {@code custody.mv.db}. */
    private static String baseName(Path database) {
        String name = database.getFileName().toString();
        return name.substring(0, name.length() - MV_DB.length());
    }

    private static void force(Path path, StandardOpenOption mode) throws IOException {
        try (FileChannel channel = FileChannel.open(path, mode)) {
            channel.force(true);
        }
    }

    /** Deletes an unfinished copy; one left behind (the disk gone read-only, say) is deleted by the next compaction. */
    private static void deleteQuietly(Path copy) {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // the failure being reported says more
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
