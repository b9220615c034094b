package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.custody.Core;
import org.custody.audit.LogVerifier;
import org.custody.common.OwnerOnly;
import org.custody.log.Actor;
import org.custody.log.Change;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Subject;
import org.custody.support.Commands;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service starts only with the second-factor key that sealed the secrets its database holds: without it, or with
 * another, it would refuse every enrolled administrator at sign-in, so it says so at start instead, and the health check
 * says so while it runs.
 */
class SecondFactorSecretsTest {
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void theServiceStartsOnlyWithTheKeyThatSealedTheStoredSecrets(TestDatabase.Kind kind, @TempDir Path dataDirectory) throws Exception {
        TestDatabase database = TestDatabase.fresh(kind);
        Path file = dataDirectory.resolve("keys").resolve(SecondFactorKey.FILE_NAME);
        inCore(database, dataDirectory, core -> {
            assertThat(file).as("generated on first start, as the signing key is").exists();
            User user = core.users().create(Actor.SYSTEM, new NewUser("enrolled", "Invented Enrolled", "a long test password",
                    EnumSet.of(Role.LAWYER))).value();
            core.secondFactor().begin(new Caller(user, UUID.randomUUID(), SessionScope.FULL, Instant.now()));
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().isHealthy()).isTrue();

            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().getMessage())
                    .isEqualTo("the second-factor key file " + file.toAbsolutePath() + " may be read by others than its owner (rw-r--r--): chmod 600 it");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

            String original = Files.readString(file);
            Files.delete(file);
            SecondFactorKey.generate(file, new char[0], new SecureRandom());
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().getMessage()).as("a file replaced")
                    .isEqualTo(notTheDatabasesKey(file));
            Files.delete(file);
            OwnerOnly.writeNew(file, original);
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().isHealthy()).isTrue();
        });
        inCore(database, dataDirectory, core -> assertThat(core.secondFactorSecrets().file()).isEqualTo(file));

        Path aside = dataDirectory.resolve("second-factors.key.aside");
        Files.move(file, aside);
        assertThatThrownBy(() -> inCore(database, dataDirectory, core -> {})).hasMessage(missing(file));
        assertThat(file).as("no key generated in its place").doesNotExist();

        SecondFactorKey.generate(file, new char[0], new SecureRandom());
        assertThatThrownBy(() -> inCore(database, dataDirectory, core -> {})).hasMessage(notTheDatabasesKey(file));
        database.execute("DELETE FROM second_factor_key");
        assertThatThrownBy(() -> inCore(database, dataDirectory, core -> {})).as("a database from before keys were recorded: the seals decide")
                .hasMessage("the second-factor key " + file.toAbsolutePath() + " does not open the second factors stored in the database: "
                        + "use the key directory this database was used with");

        Files.delete(file);
        Files.move(aside, file);
        inCore(database, dataDirectory, core -> {
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().isHealthy()).isTrue();
            assertThat(recordedCheckValue(core)).as("recorded again by the first start that opened the seals")
                    .isEqualTo(SecondFactorKey.read(file, new char[0], new SecureRandom()).checkValue());
        });
    }

    /**
     * Two instances on one database, each given a key directory of its own: the second must not start with its own
     * second-factor key, which would seal the secrets enrolled through it where the first cannot open them (and the
     * other way round), even while no secret is stored yet to tell the keys apart. The database records which key is
     * its own when the first instance starts.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aSecondInstanceWithAKeyOfItsOwnDoesNotStartEvenBeforeAnySecretIsStored(TestDatabase.Kind kind, @TempDir Path first,
                                                                                @TempDir Path second) throws Exception {
        TestDatabase database = TestDatabase.fresh(kind);
        Path firstKey = first.resolve("keys").resolve(SecondFactorKey.FILE_NAME);
        Path secondKey = second.resolve("keys").resolve(SecondFactorKey.FILE_NAME);
        inCore(database, first, core -> assertThat(count(core, "SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL")).isZero());
        byte[] recorded = SecondFactorKey.read(firstKey, new char[0], new SecureRandom()).checkValue();

        Files.createDirectories(secondKey.getParent());
        Files.copy(first.resolve("keys").resolve(onlySigningKey(first)), second.resolve("keys").resolve(onlySigningKey(first)));
        assertThatThrownBy(() -> inCore(database, second, core -> {})).as("no key of its own generated: the database has one")
                .hasMessage(missing(secondKey));
        assertThat(secondKey).doesNotExist();
        SecondFactorKey.generate(secondKey, new char[0], new SecureRandom());
        assertThatThrownBy(() -> inCore(database, second, core -> {})).as("a key of its own from 'keys generate'")
                .hasMessage(notTheDatabasesKey(secondKey));

        Files.delete(secondKey);
        Files.copy(firstKey, secondKey);
        inCore(database, second, core -> {
            assertThat(recordedCheckValue(core)).isEqualTo(recorded);
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().isHealthy()).isTrue();
            byte[] another = SecondFactorKey.generate(second.resolve("another.key"), new char[0], new SecureRandom()).checkValue();
            core.jdbi().useHandle(handle -> handle.createUpdate("UPDATE second_factor_key SET check_value = :value").bind("value", another).execute());
            assertThat(new SecondFactorHealthCheck(core.jdbi(), core.secondFactorSecrets()).execute().getMessage()).isEqualTo(notTheDatabasesKey(secondKey));
        });
    }

    /**
     * Two instances started at the same moment on an empty database, each with a key of its own, both find no key
     * recorded and both record theirs: the second to commit finds the first's, and does not start (the comparison that
     * follows, as in the test above).
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void theInstanceThatRecordsItsKeySecondIsToldTheFirstOnes(TestDatabase.Kind kind, @TempDir Path first, @TempDir Path second) throws Exception {
        TestDatabase database = TestDatabase.fresh(kind);
        inCore(database, first, core -> {
            byte[] recorded = recordedCheckValue(core);
            byte[] late = SecondFactorKey.generate(second.resolve(SecondFactorKey.FILE_NAME), new char[0], new SecureRandom()).checkValue();
            assertThat(RecordedSecondFactorKey.recordIfNone(core.jdbi(), late, Instant.now())).isEqualTo(recorded).isNotEqualTo(late);
            assertThat(recordedCheckValue(core)).isEqualTo(recorded);
        });
    }

    /**
     * The key lost for good: the service will not start, and every administrator who enrolled is locked out. The way
     * back removes each stored second factor through the log and writes a new key; it is refused while the key opens
     * every stored secret, and it sets a key it replaces aside rather than deleting it.
     */
    @Test
    void aLostKeyIsReplacedByRemovingEveryStoredSecondFactorThroughTheLog(@TempDir Path directory) throws Exception {
        Path dataDirectory = directory.resolve("data");
        TestDatabase database = TestDatabase.h2File(dataDirectory);
        Path config = TestConfigs.commandConfig(directory, database.url());
        Path file = dataDirectory.resolve("keys").resolve(SecondFactorKey.FILE_NAME);
        inCore(database, dataDirectory, core -> {
            for (String username : List.of("enrolled.a", "enrolled.b")) {
                User user = core.users().create(Actor.SYSTEM, new NewUser(username, "Invented " + username, "a long test password",
                        EnumSet.of(Role.ADMIN))).value();
                core.secondFactor().begin(new Caller(user, UUID.randomUUID(), SessionScope.FULL, Instant.now()));
            }
        });
        Commands.CommandFailed healthy = catchThrowableOfType(() -> Commands.run("keys", "reset-second-factors", config.toString()),
                Commands.CommandFailed.class);
        assertThat(healthy.errors).contains("opens every stored second factor: nothing to reset");

        byte[] lost = Files.readAllBytes(file);
        Files.delete(file);
        SecondFactorKey.generate(file, new char[0], new SecureRandom()); // not the key that sealed them: set aside, not deleted
        byte[] wrong = Files.readAllBytes(file);
        String output = Commands.run("keys", "reset-second-factors", config.toString());
        assertThat(output).contains("Removed the second factors of 2 users (a user.totp_reset entry each); they enrol again")
                .contains("Set the key that was there aside as " + file + ".replaced-");
        try (Stream<Path> files = Files.list(file.getParent())) {
            Path aside = files.filter(path -> path.getFileName().toString().startsWith("second-factors.key.replaced-")).findFirst().orElseThrow();
            assertThat(aside).hasBinaryContent(wrong);
        }
        assertThat(Files.readAllBytes(file)).isNotEqualTo(lost).isNotEqualTo(wrong);

        inCore(database, dataDirectory, core -> {
            assertThat(count(core, "SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL OR totp_enabled")).isZero();
            assertThat(count(core, "SELECT COUNT(*) FROM log_entry WHERE action = 'user.totp_reset'")).isEqualTo(2);
            assertThat(new LogVerifier(core.jdbi(), Json.configure(Jackson.newObjectMapper()), "custody.test/log").verify(Optional.empty()).problems())
                    .isEmpty();
        });
        Commands.CommandFailed nothingLeft = catchThrowableOfType(() -> Commands.run("keys", "reset-second-factors", config.toString()),
                Commands.CommandFailed.class);
        assertThat(nothingLeft.errors).contains("nothing to reset");

        // no second factor stored, but the key is not the one the database records: the service would not start, so the
        // reset replaces it, and records the new one
        Files.delete(file);
        SecondFactorKey.generate(file, new char[0], new SecureRandom());
        assertThatThrownBy(() -> inCore(database, dataDirectory, core -> {})).hasMessage(notTheDatabasesKey(file));
        assertThat(Commands.run("keys", "reset-second-factors", config.toString())).contains("Removed the second factors of 0 users");
        inCore(database, dataDirectory, core -> assertThat(recordedCheckValue(core))
                .isEqualTo(SecondFactorKey.read(file, new char[0], new SecureRandom()).checkValue()));
    }

    /**
     * A database from before secrets were sealed holds one in the clear, committed to by its entry as it was: the service
     * seals it at start, in place and through the log, so the user keeps their authenticator and verify-log still agrees.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aSecretAnEarlierVersionStoredInTheClearIsSealedAtStartThroughTheLog(TestDatabase.Kind kind, @TempDir Path dataDirectory) throws Exception {
        TestDatabase database = TestDatabase.fresh(kind);
        byte[] secret = new byte[Totp.SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        User[] user = new User[1];
        inCore(database, dataDirectory, core -> {
            user[0] = core.users().create(Actor.SYSTEM, new NewUser("from.before", "Invented Before", "a long test password", EnumSet.of(Role.ADMIN)))
                    .value();
            UUID userId = user[0].id();
            // as the version before enrolled: the secret itself in the row, the entry committing to that row
            core.ledger().submit(new Actor(userId, "from.before"), context -> {
                UserDao users = context.attach(UserDao.class);
                users.setTotp(userId, secret, false, 0);
                return new Change.Applied<>(null, LogEvent.of(LogAction.TOTP_ENROLMENT_STARTED, Subject.user(userId),
                        Map.of("credentialsDigest", users.credentialsDigest(userId))));
            });
        });
        inCore(database, dataDirectory, core -> {
            byte[] stored = core.jdbi().withHandle(handle -> handle.createQuery("SELECT totp_secret FROM users WHERE id = :id")
                    .bind("id", user[0].id()).mapTo(byte[].class).one());
            assertThat(SecondFactorKey.looksSealed(stored)).isTrue();
            SecondFactorKey key = SecondFactorKey.read(core.secondFactorSecrets().file(), new char[0], new SecureRandom());
            assertThat(key.open(user[0].id(), stored)).isEqualTo(secret);
            assertThat(count(core, "SELECT COUNT(*) FROM log_entry WHERE action = 'user.totp_sealed'")).isEqualTo(1);
            assertThat(new LogVerifier(core.jdbi(), Json.configure(Jackson.newObjectMapper()), "custody.test/log").verify(Optional.empty()).problems())
                    .isEmpty();
            core.secondFactor().confirm(new Caller(user[0], UUID.randomUUID(), SessionScope.ENROL_TOTP, Instant.now()),
                    Totp.code(secret, Totp.step(Instant.now()), "HmacSHA1", 6));
        });
        inCore(database, dataDirectory, core ->
                assertThat(count(core, "SELECT COUNT(*) FROM log_entry WHERE action = 'user.totp_sealed'")).as("sealed once").isEqualTo(1));
    }

    private static String notTheDatabasesKey(Path file) {
        return "the second-factor key " + file.toAbsolutePath() + " is not the key this database's second factors are sealed under: "
                + "use the key directory the database was used with (for a second instance, the first one's)";
    }

    private static String missing(Path file) {
        return "the database's second factors are sealed under a key that is not at " + file.toAbsolutePath()
                + ": restore it from the key directory's backup (or, for another instance, copy the first instance's key directory)";
    }

    private static byte[] recordedCheckValue(Core core) {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT check_value FROM second_factor_key").mapTo(byte[].class).one());
    }

    private static Path onlySigningKey(Path dataDirectory) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dataDirectory.resolve("keys"))) {
            return files.filter(path -> path.toString().endsWith(".pem")).map(Path::getFileName).reduce((a, b) -> {
                throw new IllegalStateException("two signing keys");
            }).orElseThrow();
        }
    }

    private static long count(Core core, String sql) {
        return core.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private interface WithCore {
        void accept(Core core) throws Exception;
    }

    private static void inCore(TestDatabase database, Path dataDirectory, WithCore use) throws Exception {
        Core core = Core.build(TestConfigs.forDatabase(database, dataDirectory), Json.configure(Jackson.newObjectMapper()),
                Validators.newValidator(), new MetricRegistry(), Clock.systemUTC());
        try {
            core.start();
            use.accept(core);
        } finally {
            core.stop();
        }
    }
}
