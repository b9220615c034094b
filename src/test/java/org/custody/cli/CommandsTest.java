package org.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.custody.CustodyApplication;
import org.custody.support.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tools, run as an operator would, against an H2 file database. */
class CommandsTest {
    @TempDir
    Path directory;

    private Path config() throws Exception {
        // As shipped: without MAX_COMPACT_TIME=0, H2 2.3.232's compaction on close lost a command's last commit here.
        return config("org.h2.Driver", "jdbc:h2:file:" + directory + "/data/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0");
    }

    private Path config(String driver, String url) throws Exception {
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                dataDirectory: %s/data
                database:
                  driverClass: %s
                  url: %s
                  user: sa
                  password: ""
                logging:
                  level: WARN
                """.formatted(directory, driver, url));
        return config;
    }

    private long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void addUserReadsThePasswordFromStandardInputAndLogsTheCreation() throws Exception {
        Path config = config();
        InputStream stdin = System.in;
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("a long enough password\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
            new CustodyApplication().run("add-user", config.toString(), "--username", "lawyer1", "--display-name", "Lawyer One", "--roles", "LAWYER");
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
        }
        java.time.Instant expiresAt = java.time.Instant.parse(printed.toString(StandardCharsets.UTF_8)
                .replaceAll("(?s).*the password works once, until (\\S+): the first sign-in must change it.*", "$1"));
        assertThat(count("SELECT COUNT(*) FROM users WHERE password_expires_at = TIMESTAMP WITH TIME ZONE '" + expiresAt + "'"))
                .as("the expiry printed is the one stored").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM users WHERE username = 'lawyer1' AND roles = 'LAWYER'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM log_entry WHERE action = 'user.created'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM users WHERE must_change_password AND password_expires_at = created_at + INTERVAL '7' DAY"))
                .as("a one-time password, for the shipped seven days").isEqualTo(1);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("data"))))
                .as("the data directory, made by the command, holds the database: its owner's alone").isEqualTo("rwx------");
    }

    @Test
    void demoDataLoadsInventedCasesThroughTheLedgerOnce() throws Exception {
        Path config = config();
        new CustodyApplication().run("demo-data", config.toString());
        new CustodyApplication().run("demo-data", config.toString());
        assertThat(count("SELECT COUNT(*) FROM cases")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM status_change")).isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM custody_event")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM log_entry")).isEqualTo(count("SELECT size FROM log_head"));
        assertThat(count("SELECT COUNT(*) FROM cases WHERE details LIKE '%Արամ%'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM cases WHERE details LIKE '%Сергей%'")).isEqualTo(1);
    }

    private String run(String... arguments) throws Exception {
        return Commands.run(arguments);
    }

    @Test
    void keysAreGeneratedRegisteredAndRotatedUnderBothSignaturesAndVerifyLogChecksEverything() throws Exception {
        Path config = config();
        String generated = run("keys", "generate", config.toString());
        String verifierKey = generated.lines().filter(line -> line.startsWith("Verifier key: ")).findFirst().orElseThrow().substring(14);
        org.custody.log.signing.NoteKey first = org.custody.log.signing.NoteKey.parseVerifierKey(verifierKey);
        assertThat(directory.resolve("data/keys/" + first.keyIdHex() + ".pem")).exists();
        Path secondFactorKey = directory.resolve("data/keys/second-factors.key");
        assertThat(secondFactorKey).exists();
        Commands.CommandFailed again = org.assertj.core.api.Assertions.catchThrowableOfType(() -> run("keys", "generate", config.toString()),
                Commands.CommandFailed.class);
        assertThat(again.errors).as("a second key file would never sign").isEqualTo("error: " + directory.resolve("data/keys")
                + " already holds a signing key (" + first.keyIdHex() + ".pem) and the second-factor key; to make a new signing key current, "
                + "run 'keys rotate'" + System.lineSeparator());
        // a key directory from before second factors were sealed: the command adds their key, and no second signing key
        Files.delete(secondFactorKey);
        assertThat(run("keys", "generate", config.toString())).doesNotContain("Verifier key").contains("second-factors.key");
        try (java.util.stream.Stream<Path> files = Files.list(directory.resolve("data/keys"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(first.keyIdHex() + ".pem", "second-factors.key");
        }

        run("demo-data", config.toString());
        assertThat(count("SELECT COUNT(*) FROM log_key WHERE key_id = '" + first.keyIdHex() + "' AND valid_until IS NULL")).isEqualTo(1);
        Path kept = directory.resolve("kept-checkpoint");
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery("SELECT note FROM log_checkpoint ORDER BY size DESC LIMIT 1")) {
            rs.next();
            Files.writeString(kept, rs.getString(1));
        }

        String rotated = run("keys", "rotate", config.toString());
        org.custody.log.signing.NoteKey second = org.custody.log.signing.NoteKey.parseVerifierKey(
                rotated.lines().filter(line -> line.startsWith("Verifier key: ")).findFirst().orElseThrow().substring(14));
        long rotationIndex = count("SELECT idx FROM log_entry WHERE action = 'log.key_rotated'");
        assertThat(count("SELECT COUNT(*) FROM log_key WHERE valid_until IS NULL")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM log_key WHERE key_id = '" + first.keyIdHex() + "' AND valid_until IS NOT NULL")).isEqualTo(1);
        String rotationCheckpoint;
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "");
             ResultSet rs = connection.createStatement().executeQuery("SELECT note FROM log_checkpoint WHERE size = " + (rotationIndex + 1))) {
            rs.next();
            rotationCheckpoint = rs.getString(1);
        }
        assertThat(org.custody.log.signing.SignedNote.parse(rotationCheckpoint).verifiedBy(java.util.List.of(first, second)))
                .containsExactlyInAnyOrder(first, second);

        String verified = run("verify-log", config.toString(), "--checkpoint", kept.toString());
        assertThat(verified).contains("OK   kept checkpoint").contains("OK   replay from index 0").contains("VERIFIED");

        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "")) {
            connection.createStatement().execute("UPDATE cases SET version = version + 1 WHERE reference_seq = 1");
        }
        Commands.CommandFailed failed = org.assertj.core.api.Assertions.catchThrowableOfType(() -> run("verify-log", config.toString()), Commands.CommandFailed.class);
        assertThat(failed.output).contains("FAIL case ").contains("version differ(s) from the log").contains("FAILED: 1 problem(s)");
        assertThat(failed.errors).isEqualTo("error: verification failed with 1 problem(s), listed above" + System.lineSeparator());
    }

    /** A "backup" that holds no database is one line, and leaves nothing behind that would block the real restore. */
    @Test
    void aBackupThatHoldsNoDatabaseIsRefusedInOneLineAndLeavesNothingBehind() throws Exception {
        Path config = config();
        Path notABackup = directory.resolve("not-a-backup.zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(notABackup))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("custody.mv.db"));
            zip.write("not a database".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Commands.CommandFailed failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> run("restore", config.toString(), notABackup.toString()), Commands.CommandFailed.class);
        assertThat(failed.errors).isEqualTo("error: " + notABackup + " holds no database H2 can open: it is damaged or not a Custody backup; "
                + "the file it unpacked was removed, so nothing is restored" + System.lineSeparator());
        assertThat(failed.output).doesNotContain("Restored");
        assertThat(directory.resolve("data/custody.mv.db")).doesNotExist();
    }

    @Test
    void aCheckpointFileThatCannotBeReadIsNamedInOneLineBeforeTheDatabaseIsOpened() throws Exception {
        Path config = config();
        Path missing = directory.resolve("no-such-checkpoint");
        Path binary = Files.write(directory.resolve("binary-checkpoint"), new byte[] {(byte) 0xC3, 0x28, 0x0A});
        Path huge = Files.write(directory.resolve("huge-checkpoint"), new byte[KeptCheckpoint.MAX_BYTES + 1]);
        for (String[] fileAndError : new String[][] {{missing.toString(), "no such file"}, {binary.toString(), "not UTF-8 text, so not a checkpoint"},
                {huge.toString(), "larger than 64 KiB, so not a checkpoint"}, {directory.toString(), "cannot be read (IOException)"}}) {
            Commands.CommandFailed failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> run("verify-log", config.toString(), "--checkpoint", fileAndError[0]), Commands.CommandFailed.class);
            assertThat(failed).as(fileAndError[0]).isNotNull();
            assertThat(failed.errors).isEqualTo("error: --checkpoint " + fileAndError[0] + ": " + fileAndError[1] + System.lineSeparator());
        }
        assertThat(directory.resolve("data")).as("nothing opened, so no database made").doesNotExist();
    }

    @Test
    void aWrongArgumentOrAMissingConfigurationIsOneLine() throws Exception {
        Path config = config();
        Commands.CommandFailed wrongRole = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> run("add-user", config.toString(), "--username", "u1", "--display-name", "U", "--roles", "JUDGE"), Commands.CommandFailed.class);
        assertThat(wrongRole.errors).isEqualTo("error: --roles must list ADMIN, CASE_WORKER or LAWYER" + System.lineSeparator());

        Commands.CommandFailed notAConfig = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> run("verify-log", directory.resolve("missing.yml").toString()), Commands.CommandFailed.class);
        assertThat(notAConfig.errors).isEqualTo("error: File " + directory.resolve("missing.yml") + " not found" + System.lineSeparator());
    }

    @Test
    void aDatabaseThatCannotBeUsedIsOneLineNamingWhyAndNothingIsCreated() throws Exception {
        Path config = config();
        Path backup = directory.resolve("backup.zip");
        for (String[] command : new String[][] {{"verify-log", config.toString()}, {"backup", config.toString(), "--to", backup.toString()}}) {
            Commands.CommandFailed missing = org.assertj.core.api.Assertions.catchThrowableOfType(() -> run(command), Commands.CommandFailed.class);
            assertThat(missing.errors).as(command[0])
                    .isEqualTo("error: the configured database does not exist: check database.url (SQLState 90146)" + System.lineSeparator());
        }
        assertThat(directory.resolve("data")).as("a read-only command makes no database").doesNotExist();
        assertThat(backup).doesNotExist();

        // a database that is there but is not Custody's (or was never started against)
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "")) {
            connection.createStatement().execute("CREATE TABLE something_else (id INT)");
        }
        Commands.CommandFailed empty = org.assertj.core.api.Assertions.catchThrowableOfType(() -> run("verify-log", config.toString()), Commands.CommandFailed.class);
        assertThat(empty.errors).isEqualTo("error: the database has no Custody tables: check database.url, or start the service once against it "
                + "to create them (SQLState 42S02)" + System.lineSeparator());

        // nothing listens on port 1
        Path unreachable = config("org.postgresql.Driver", "jdbc:postgresql://127.0.0.1:1/custody?connectTimeout=5");
        Commands.CommandFailed refused = org.assertj.core.api.Assertions.catchThrowableOfType(() -> run("verify-log", unreachable.toString()), Commands.CommandFailed.class);
        assertThat(refused.errors).isEqualTo("error: cannot connect to the database: is it running, and is database.url right? (SQLState 08001)"
                + System.lineSeparator());
        assertThat(refused.output).as("the connection pool's own report of the failure, a stack trace").doesNotContain("Exception");
    }

    /**
     * A jar newer than the schema (installed, but `db migrate` not yet run): verify-log and restore name the change sets
     * not applied and the step to take, in one line, instead of the stack trace of a query naming a new column; and a
     * service that does not migrate on start refuses to start on it.
     */
    @Test
    void aSchemaOlderThanTheJarIsOneLineNamingTheMigrationToRun() throws Exception {
        Path config = config();
        new CustodyApplication().run("db", "migrate", config.toString());
        // as the schema was before 008-grant-reason
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory + "/data/custody", "sa", "")) {
            connection.createStatement().execute("ALTER TABLE case_grant DROP COLUMN reason");
            connection.createStatement().execute("DELETE FROM DATABASECHANGELOG WHERE id = '008-grant-reason'");
        }
        Commands.CommandFailed behind = org.assertj.core.api.Assertions.catchThrowableOfType(() -> run("verify-log", config.toString()), Commands.CommandFailed.class);
        assertThat(behind.errors).isEqualTo("error: the database's schema is older than this jar (not applied: 008-grant-reason): "
                + "run `java -jar custody.jar db migrate config.yml` with this jar, as the schema's owner, first" + System.lineSeparator());

        Path withoutMigration = directory.resolve("no-migration.yml");
        Files.writeString(withoutMigration, Files.readString(config) + "migrateOnStart: false\n");
        Commands.CommandFailed notStarted = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> run("demo-data", withoutMigration.toString()), Commands.CommandFailed.class);
        assertThat(notStarted.errors).as("the service and every command that writes check it too")
                .startsWith("error: the database's schema is older than this jar (not applied: 008-grant-reason)");
        assertThat(count("SELECT COUNT(*) FROM cases")).isZero();

        // a backup of the older schema, restored by this jar into an empty directory
        Path backup = directory.resolve("older.zip");
        run("backup", config.toString(), "--to", backup.toString());
        Path elsewhere = directory.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        Path restoredConfig = elsewhere.resolve("config.yml");
        Files.writeString(restoredConfig, Files.readString(config).replace(directory + "/data", elsewhere + "/data"));
        Commands.CommandFailed restored = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> run("restore", restoredConfig.toString(), backup.toString()), Commands.CommandFailed.class);
        assertThat(restored.output).contains("Restored the database");
        assertThat(restored.errors).startsWith("error: the database's schema is older than this jar (not applied: 008-grant-reason)");
        new CustodyApplication().run("db", "migrate", restoredConfig.toString());
        assertThat(run("verify-log", restoredConfig.toString())).contains("VERIFIED");

        new CustodyApplication().run("db", "migrate", config.toString());
        assertThat(run("verify-log", config.toString())).contains("VERIFIED");
    }
}
