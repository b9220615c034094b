package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.custody.log.signing.NoteKey;
import org.custody.log.signing.SignedNote;
import org.custody.support.ReadmeCommands;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * The file that ships, {@code target/custody.jar}, run as README runs it: failsafe starts this after {@code package}
 * with {@code custody.test.jar} naming the jar, and {@link ServiceProcess} then runs {@code java -jar} instead of the
 * build's classes. What only the shaded jar can get wrong shows here: a class or a service file lost or overwritten in
 * the merging, a signed dependency's signature left in, the manifest's main class.
 */
class ShippedJarIT {
    private static final String ONE_TIME_PASSWORD = "an invented one-time jar-test password";
    private static final String PASSWORD = "an invented jar-test password";

    @Test
    void theShippedJarSaysWhichReleaseItIs() throws Exception {
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("custody.test.jar"), "--version").redirectErrorStream(true).start();
        String printed = new String(version.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(version.waitFor()).isZero();
        assertThat(printed).isEqualTo(System.getProperty("custody.test.version"));
    }

    @Test
    void theShippedJarServesSignsItsCheckpointsAndVerifiesItsLog() throws Exception {
        assertThat(System.getProperty("custody.test.jar")).as("the jar to run (failsafe sets it)").isNotNull();
        assertThat(Path.of(System.getProperty("custody.test.jar"))).isRegularFile();
        Path directory = TempDirectories.create("custody-jar");
        try {
            // the shipped config.yml as it is: H2 under ./data of the working directory, a key generated on first start
            Map<String, String> environment = new HashMap<>(Map.of("CUSTODY_LOG_ORIGIN", "custody.test/jar", "CUSTODY_NEW_PASSWORD", ONE_TIME_PASSWORD));
            Path output = directory.resolve("service.log");
            assertThat(ServiceProcess.command(directory, environment, output, "add-user", "--username", "jar.worker",
                    "--display-name", "Jar Worker", "--roles", "CASE_WORKER")).as(Files.readString(output)).isZero();

            long logIndex;
            String token;
            try (ServiceProcess service = ServiceProcess.start(directory, environment, output)) {
                String limited = service.signIn("jar.worker", ONE_TIME_PASSWORD);
                assertThat(service.send("POST", "/api/v1/cases", limited, "{\"person\":{\"fullName\":\"Invented Jar Person\"},"
                        + "\"category\":\"CIVILIAN_DETAINEE\"}").status()).as("the password add-user set only changes itself").isEqualTo(403);
                token = service.firstSignIn("jar.worker", ONE_TIME_PASSWORD, PASSWORD);
                TestApp.Reply created = service.send("POST", "/api/v1/cases", token,
                        "{\"person\":{\"fullName\":\"Invented Jar Person\"},\"category\":\"CIVILIAN_DETAINEE\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                logIndex = Long.parseLong(created.header("Log-Index"));
                TestApp.Reply read = service.send("GET", "/api/v1/cases/" + created.json().get("id").asText(), token, null);
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.json().at("/person/fullName").asText()).isEqualTo("Invented Jar Person");

                TestApp.Reply checkpoint = service.send("GET", "/api/v1/log/checkpoint", null, null);
                assertThat(checkpoint.status()).isEqualTo(200);
                List<NoteKey> keys = new ArrayList<>();
                service.send("GET", "/api/v1/log/keys", null, null).json().forEach(key -> keys.add(NoteKey.parseVerifierKey(key.get("verifierKey").asText())));
                SignedNote note = SignedNote.parse(checkpoint.body());
                assertThat(note.verifiedBy(keys)).as("the checkpoint is signed by a key the service lists").isNotEmpty();
                assertThat(Long.parseLong(checkpoint.body().lines().skip(1).findFirst().orElseThrow()))
                        .as("the checkpoint covers the acknowledged write").isGreaterThan(logIndex);
                assertThat(service.stop()).as("exit status of a graceful stop").isIn(0, 143);
            }

            // with the JVM options README gives: the command an operator copies must start and check
            Path verified = directory.resolve("verify-log.txt");
            int status = ServiceProcess.command(ReadmeCommands.verifyLogJvmOptions(), directory, environment, verified, "verify-log");
            assertThat(status).as(Files.readString(verified)).isZero();
            assertThat(Files.readString(verified)).contains("OK   replay from index 0").contains("VERIFIED");

            String logs = Files.readString(output);
            assertThat(logs).as("the service logged its requests").contains("POST /api/v1/cases");
            assertThat(logs).as("no password, token or person's name in the jar's logs").doesNotContain(PASSWORD)
                    .doesNotContain(ONE_TIME_PASSWORD).doesNotContain(token)
                    .doesNotContain("Invented Jar Person");

            // pointed at a database that is not there: one line, and nothing created
            Map<String, String> elsewhere = new HashMap<>(environment);
            elsewhere.put("CUSTODY_DB_URL", "jdbc:h2:file:./nowhere/custody");
            Path refused = directory.resolve("verify-log-elsewhere.txt");
            assertThat(ServiceProcess.command(directory, elsewhere, refused, "verify-log")).isEqualTo(1);
            // standard output (the log, where a connection pool that connects ahead reports its failure with a stack
            // trace) and standard error, merged: the command's line is all there is
            List<String> lines = Files.readAllLines(refused);
            assertThat(lines).containsExactly("error: the configured database does not exist: check database.url (SQLState 90146)");
            assertThat(directory.resolve("nowhere")).doesNotExist();
        } finally {
            TempDirectories.delete(directory);
        }
    }
}
