package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.custody.support.TestApp;

/** Waiting for a service to come back after an outage it should survive without a restart. */
final class Recovery {
    private Recovery() {}

    /**
     * Creates a case every half second until one is created (201), for at most a minute; every refusal before it must be
     * a 503. Returns the last answer, so the caller can assert that recovery came.
     */
    static TestApp.Reply createCaseOnceBack(TestApp app, String token, String body) throws InterruptedException {
        TestApp.Reply reply = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            reply = app.post("/api/v1/cases", token, body);
            if (reply.status() == 201) {
                break;
            }
            assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
            Thread.sleep(500);
        }
        return reply;
    }
}
