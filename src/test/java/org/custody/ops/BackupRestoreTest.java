package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.custody.access.SecondFactorKey;
import org.custody.support.Commands;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestApp;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Backup while the service writes, restore into a fresh data directory, verify; and the attack a backup makes possible:
 * an older backup restored in place of a newer log, caught by anyone who kept a later checkpoint.
 */
class BackupRestoreTest {
    @Test
    void anOnlineBackupRestoresIntoAFreshDirectoryAndAnOlderOneIsCaughtByAKeptCheckpoint() throws Exception {
        Path directory = TempDirectories.create("custody-backup");
        try {
            Path backup;
            String kept;
            Path restoredData = directory.resolve("restored/data");
            try (TestApp app = TestApp.start(TestDatabase.h2File(directory.resolve("live")), "test-config.yml")) {
                String worker = app.userWithRoles("backup.worker", "CASE_WORKER");
                assertThat(app.post("/api/v1/users/me/totp", worker, null).status()).as("a second factor sealed in the backup").isEqualTo(201);
                for (int i = 0; i < 20; i++) {
                    assertThat(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Person " + i + "\"},\"category\":\"UNKNOWN\"}")
                            .status()).isEqualTo(201);
                }
                HttpResponse<String> task = app.admin("POST", "/tasks/backup");
                assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
                try (Stream<Path> files = Files.list(app.dataDirectory().resolve("backups"))) {
                    Path written = files.findFirst().orElseThrow();
                    assertThat(task.body()).contains(written.toAbsolutePath().toString()).contains("the second-factor key) are not in it: back up the key directory apart");
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).as("a backup holds every record")
                            .isEqualTo("rw-------");
                    backup = Files.copy(written, directory.resolve(written.getFileName()));
                }
                assertThat(app.post("/api/v1/cases", worker, "{\"person\":{\"fullName\":\"Invented Later\"},\"category\":\"UNKNOWN\"}").status()).isEqualTo(201);
                kept = app.get("/api/v1/log/checkpoint", null).body();
                copyKeys(app.dataDirectory().resolve("keys"), restoredData.resolve("keys"));
            }
            Path config = config(directory.resolve("restored"));
            Path secondFactorKey = restoredData.resolve("keys/second-factors.key");
            Path keyAside = Files.move(secondFactorKey, directory.resolve("second-factors.key"));
            String restored = Commands.run("restore", config.toString(), backup.toString());
            assertThat(restored).contains("OK   replay from index 0").contains("VERIFIED")
                    .containsOnlyOnce("WARN").contains("WARN the second-factor key is not in " + restoredData.resolve("keys").toAbsolutePath());
            Files.move(keyAside, secondFactorKey);

            Commands.CommandFailed overwrite = catchThrowableOfType(() -> Commands.run("restore", config.toString(), backup.toString()),
                    Commands.CommandFailed.class);
            assertThat(overwrite).isNotNull();
            assertThat(Files.exists(restoredData.resolve("custody.mv.db"))).isTrue();

            Path offline = directory.resolve("offline.zip");
            assertThat(Commands.run("backup", config.toString(), "--to", offline.toString())).contains("Backed up the database to");
            assertThat(offline).isNotEmptyFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(offline))).isEqualTo("rw-------");

            Files.move(restoredData.resolve("custody.mv.db"), directory.resolve("set-aside.mv.db"));
            Path rightKey = Files.move(secondFactorKey, directory.resolve("right-second-factors.key"));
            SecondFactorKey.generate(secondFactorKey, new char[0], new SecureRandom());
            assertThat(Commands.run("restore", config.toString(), backup.toString())).as("a key directory with another second-factor key")
                    .contains("VERIFIED").containsOnlyOnce("WARN").contains("WARN the second-factor key " + secondFactorKey.toAbsolutePath()
                            + " is not the key this database's second factors are sealed under: use the key directory the database was used with");
            Files.delete(secondFactorKey);
            Files.move(rightKey, secondFactorKey);
            Files.move(restoredData.resolve("custody.mv.db"), directory.resolve("set-aside-again.mv.db"));
            Path keptFile = Files.writeString(directory.resolve("kept-checkpoint"), kept);
            Path mistyped = directory.resolve("kept-checkpoin");
            Commands.CommandFailed unreadable = catchThrowableOfType(() -> Commands.run("restore", config.toString(), backup.toString(),
                    "--checkpoint", mistyped.toString()), Commands.CommandFailed.class);
            assertThat(unreadable.errors).isEqualTo("error: --checkpoint " + mistyped + ": no such file" + System.lineSeparator());
            assertThat(restoredData.resolve("custody.mv.db")).as("the checkpoint is read before anything is restored").doesNotExist();
            Commands.CommandFailed rolledBack = catchThrowableOfType(() -> Commands.run("restore", config.toString(), backup.toString(),
                    "--checkpoint", keptFile.toString()), Commands.CommandFailed.class);
            assertThat(rolledBack.output).containsPattern("FAIL kept checkpoint of size \\d+: the log now has only \\d+ entries: it was rolled back or truncated");
        } finally {
            TempDirectories.delete(directory);
        }
    }

    private static Path config(Path directory) throws Exception {
        return TestConfigs.commandConfig(directory, "jdbc:h2:file:" + directory + "/data/custody;WRITE_DELAY=0;MAX_COMPACT_TIME=0");
    }

    private static void copyKeys(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> keys = Files.list(from)) {
            for (Path key : keys.toList()) {
                Files.copy(key, to.resolve(key.getFileName()));
            }
        }
    }
}
