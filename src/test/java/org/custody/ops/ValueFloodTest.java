package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.custody.support.AllAtOnce;
import org.custody.support.ServiceProcess;
import org.custody.support.TempDirectories;
import org.custody.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * A JSON value costs the heap 50–100 bytes once parsed and validated, against two or three on the wire. Here the service
 * runs as README runs it ({@code -Xmx448m}, H2) and one signed-in case worker (a stolen session, or a script gone wrong)
 * sends 150 case creations at once, each a mebibyte of one-character other names: 260,000 strings a request. Before
 * bodies were held to 10,000 values, 100 such requests at once threw OutOfMemoryError and answered 500, and the
 * service then answered nothing, not even its checkpoint, for minutes while its collector ran.
 */
class ValueFloodTest {
    private static final String ONE_TIME_PASSWORD = "an invented one-time password for the value flood";
    private static final String PASSWORD = "an invented password for the value flood";

    @Test
    void bodiesOfManySmallValuesSentAllAtOnceAreRefusedAndTakeNothingDown() throws Exception {
        Path directory = TempDirectories.create("custody-value-flood");
        try {
            Path output = directory.resolve("service.log");
            assertThat(ServiceProcess.command(directory, Map.of("CUSTODY_NEW_PASSWORD", ONE_TIME_PASSWORD), output, "add-user", "--username", "values.worker",
                    "--display-name", "Invented worker", "--roles", "CASE_WORKER")).isZero();
            try (ServiceProcess service = ServiceProcess.start(directory, Map.of(), output)) {
                String token = service.firstSignIn("values.worker", ONE_TIME_PASSWORD, PASSWORD);
                long size = service.logSize();
                String names = "{\"person\":{\"fullName\":\"Invented Person\",\"otherNames\":[" + String.join(",", Collections.nCopies(260_000, "\"a\""))
                        + "]},\"category\":\"UNKNOWN\"}";
                List<TestApp.Reply> flood = AllAtOnce.send(150, i -> () -> service.send("POST", "/api/v1/cases", token, names));
                for (TestApp.Reply reply : flood) {
                    assertThat(reply.status()).as(reply.body()).isEqualTo(413);
                    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                }
                assertThat(service.logSize()).as("nothing written").isEqualTo(size);
                assertThat(service.send("POST", "/api/v1/cases", token, "{\"person\":{\"fullName\":\"Invented Person\"},\"category\":\"UNKNOWN\"}").status())
                        .as("the service still takes writes").isEqualTo(201);
            }
            assertThat(Files.readString(output)).doesNotContain("OutOfMemoryError").doesNotContain("\"level\":\"ERROR\"");
        } finally {
            TempDirectories.delete(directory);
        }
    }
}
