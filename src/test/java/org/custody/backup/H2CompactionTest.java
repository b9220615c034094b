package org.custody.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.custody.support.Commands;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code compact}, run as an operator runs it, on an H2 file the service has written one commit at a time. */
class H2CompactionTest {
    static final String BODY = "{\"person\":{\"fullName\":\"Invented Person %d\"},\"category\":\"UNKNOWN\"}";

    Path directory;
    Path database;
    Path config;
    Path keys;

    @BeforeEach
    void writeALogOneCommitAtATime() throws Exception {
        directory = TempDirectories.create("custody-compaction");
        database = directory.resolve("live/custody.mv.db");
        keys = directory.resolve("keys");
        try (TestApp app = start()) {
            String worker = app.userWithRoles("compaction.worker", "CASE_WORKER");
            for (int i = 0; i < 150; i++) {
                assertThat(app.post("/api/v1/cases", worker, BODY.formatted(i)).status()).isEqualTo(201);
            }
        }
        config = TestConfigs.commandConfig(directory, TestDatabase.h2File(directory.resolve("live")).url());
    }

    @AfterEach
    void deleteTheFiles() {
        TempDirectories.delete(directory);
    }

    private TestApp start() {
        return TestApp.start(TestDatabase.h2File(directory.resolve("live")), "test-config.yml",
                ConfigOverride.config("log.keyDirectory", keys.toString()));
    }

    @Test
    void theFileShrinksEveryRowStaysTheOriginalIsKeptAndTheServiceCarriesOn() throws Exception {
        long before = Files.size(database);
        String original = sha256(database);

        String output = Commands.run("compact", config.toString());

        System.out.printf("H2 file of 150 cases written one commit at a time: %,d bytes before compaction, %,d after%n", before, Files.size(database));
        Path kept = directory.resolve("live/custody.mv.db.before-compact");
        assertThat(output).contains("OK   replay from index 0").contains("OK   the copy holds the same rows as the original in each of")
                .contains("COMPACTED " + database).contains("kept as " + kept);
        assertThat(Files.size(database)).as("compacted from %,d bytes", before).isLessThan(before / 2);
        assertThat(sha256(kept)).as("the original, byte for byte").isEqualTo(original);
        assertThat(directory.resolve("live/custody.compacting.mv.db")).doesNotExist();

        try (TestApp app = start()) {
            String worker = app.signIn("compaction.worker", TestApp.USER_PASSWORD);
            assertThat(app.queryLong("SELECT COUNT(*) FROM cases")).isEqualTo(150);
            assertThat(app.post("/api/v1/cases", worker, BODY.formatted(150)).status()).isEqualTo(201);
            assertThat(app.logSize()).isEqualTo(app.queryLong("SELECT COUNT(*) FROM log_entry"));
        }
        assertThat(Commands.run("verify-log", config.toString())).contains("VERIFIED");

        Commands.CommandFailed again = catchThrowableOfType(() -> Commands.run("compact", config.toString()), Commands.CommandFailed.class);
        assertThat(again.errors).isEqualTo("error: " + kept + " is kept from an earlier compaction: delete it or move it away first"
                + System.lineSeparator());
    }

    @Test
    void aDatabaseInUseIsRefusedAndNothingIsWritten() throws Exception {
        try (TestApp app = start()) {
            Commands.CommandFailed refused = catchThrowableOfType(() -> Commands.run("compact", config.toString()), Commands.CommandFailed.class);
            assertThat(refused.errors).isEqualTo("error: the database is open in another process (the service?): stop it before compacting"
                    + System.lineSeparator());
        }
        assertThat(filesBeside()).containsExactlyInAnyOrder("custody.mv.db");
        assertThat(Commands.run("verify-log", config.toString())).contains("VERIFIED");
    }

    @Test
    void aDatabaseThatFailsVerifyLogIsLeftAsItIs() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabase.h2File(directory.resolve("live")).url(), "sa", "")) {
            // a case edited behind the log's back
            assertThat(connection.createStatement().executeUpdate(
                    "UPDATE cases SET details = REPLACE(details, 'Person 7\"', 'Someone else\"') WHERE details LIKE '%Person 7\"%'")).isEqualTo(1);
        }
        String edited = sha256(database);

        Commands.CommandFailed refused = catchThrowableOfType(() -> Commands.run("compact", config.toString()), Commands.CommandFailed.class);

        assertThat(refused.output).contains("FAIL").contains("the database was left as it is");
        assertThat(sha256(database)).isEqualTo(edited);
        assertThat(filesBeside()).containsExactlyInAnyOrder("custody.mv.db");
    }

    @Test
    void theRowComparisonTellsTablesApartByASingleValue() throws Exception {
        String first = "jdbc:h2:file:" + directory.resolve("first");
        String second = "jdbc:h2:file:" + directory.resolve("second");
        for (String url : new String[] {first, second}) {
            try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                connection.createStatement().execute("CREATE TABLE note (id INT PRIMARY KEY, body VARCHAR(100), hash VARBINARY(32))");
                connection.createStatement().execute("INSERT INTO note VALUES (1, 'invented', X'00ff'), (2, NULL, NULL)");
            }
        }
        assertThat(H2Compaction.sameRows(first, second, "sa", "")).isEqualTo(1);

        try (Connection connection = DriverManager.getConnection(second, "sa", "")) {
            connection.createStatement().execute("UPDATE note SET hash = X'00fe' WHERE id = 1");
        }
        IllegalStateException differs = catchThrowableOfType(() -> H2Compaction.sameRows(first, second, "sa", ""), IllegalStateException.class);
        assertThat(differs).hasMessage("the copy's table NOTE differs from the original's; the database is as it was");
    }

    private Iterable<String> filesBeside() throws Exception {
        try (Stream<Path> files = Files.list(database.getParent())) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
