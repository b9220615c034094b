package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.custody.support.AllAtOnce;
import org.custody.support.KeepAliveConnection;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Sign-in is the one costly thing anyone may ask for without an account: each check is an Argon2id derivation holding
 * 19 MiB of the heap. Here the service runs as README runs it ({@code -Xmx448m}, the embedded H2, whose page cache
 * shares that heap) and is sent sign-ins all at once, from one address and from ten (every address of 127.0.0.0/8 is
 * this machine's). Before the checks were bounded, 180 at once from ten addresses threw OutOfMemoryError and answered
 * 500; of 200 at once from one address, 39 were checked where the throttle allows 20 failures, as it counted a failure
 * only once its check was over; and each refusal by the throttle was a log entry, so anyone could grow the log as fast
 * as the ledger writes.
 */
class SignInFloodTest {
    private static final String JSON = "application/problem+json";

    @Test
    void signInsSentAllAtOnceAreCheckedInTurnRefusedPastTheLimitAndTakeNothingDown() throws Exception {
        Path directory = TempDirectories.create("custody-flood");
        try {
            Path output = directory.resolve("service.log");
            try (ServiceProcess service = ServiceProcess.start(directory, Map.of(), output)) {
                long sizeBefore = service.logSize();

                // one guesser sends 40 guesses for one user name at once: five are checked, as if sent one by one
                long started = System.nanoTime();
                List<TestApp.Reply> guesses = AllAtOnce.send(40, i -> () -> signIn(service, "127.0.0.20", "guessed.name", "guess number " + i));
                long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                assertThat(AllAtOnce.withStatus(guesses, 401)).as("checked").isEqualTo(5);
                assertThat(AllAtOnce.withStatus(guesses, 429)).as("refused unchecked").isEqualTo(35);
                assertThat(service.metrics().at("/gauges/custody.sign-ins.throttled/value").asLong()).isEqualTo(35);
                // each check that failed is an entry; the refusals, which checked nothing, one a second at most
                long afterGuesses = service.logSize();
                assertThat(afterGuesses - sizeBefore - 5).as("refusals recorded").isBetween(1L, seconds + 1);

                // 180 sign-ins at once from ten addresses, each a different name: no address or name reaches its limit
                List<TestApp.Reply> flood = AllAtOnce.send(180, i -> () -> signIn(service, "127.0.0." + (30 + i % 10), "unknown.name." + i, "a wrong password"));
                for (TestApp.Reply reply : flood) {
                    assertThat(reply.status()).as(reply.body()).isIn(401, 503);
                    assertThat(reply.header("Content-Type")).startsWith(JSON);
                    if (reply.status() == 503) {
                        assertThat(reply.header("Retry-After")).isEqualTo("1");
                    }
                }
                // every failed check is a log entry; one refused for want of a turn was never checked and writes nothing
                assertThat(service.logSize() - afterGuesses).isEqualTo(AllAtOnce.withStatus(flood, 401));
                assertThat(service.metrics().at("/gauges/custody.passwords.refused-busy/value").asLong()).isEqualTo(AllAtOnce.withStatus(flood, 503));

                String oneTime = Files.readString(directory.resolve("data/initial-admin-password")).strip();
                assertThat(signIn(service, "127.0.0.1", "admin", oneTime).status()).as("the service still signs people in").isEqualTo(201);
            }
            String logs = Files.readString(output);
            assertThat(logs).doesNotContain("OutOfMemoryError").doesNotContain("\"level\":\"ERROR\"");
        } finally {
            TempDirectories.delete(directory);
        }
    }

    private static TestApp.Reply signIn(ServiceProcess service, String from, String username, String password) throws Exception {
        try (KeepAliveConnection connection = new KeepAliveConnection("127.0.0.1", service.port(), InetAddress.getByName(from))) {
            return connection.send("POST", "/api/v1/sessions", null, TestApp.json("username", username, "password", password));
        }
    }
}
