package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.common.ServiceUnavailableException;
import org.custody.common.Turns;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = PasswordHasher.defaults(new SecureRandom());

    @Test
    void hashesWithArgon2idAtTheDefaultCostAndVerifiesOnlyTheRightPassword() {
        String hash = hasher.hash("correct horse battery".toCharArray());
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=3,p=1$").doesNotContain("correct");
        assertThat(hasher.verify("correct horse battery".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horse batterz".toCharArray(), hash)).isFalse();
        assertThat(hasher.hash("correct horse battery".toCharArray())).isNotEqualTo(hash);
    }

    @Test
    void aHashMadeAtAnotherCostNeedsMakingAgainAndStillVerifies() {
        String older = new PasswordHasher(19 * 1024, 2, 1, new SecureRandom()).hash("correct horse battery".toCharArray());
        assertThat(hasher.verify("correct horse battery".toCharArray(), older)).isTrue();
        assertThat(hasher.needsRehash(older)).isTrue();
        assertThat(hasher.needsRehash(new PasswordHasher(32 * 1024, 3, 1, new SecureRandom()).hash("x".toCharArray()))).isTrue();
        assertThat(hasher.needsRehash(new PasswordHasher(19 * 1024, 3, 2, new SecureRandom()).hash("x".toCharArray()))).isTrue();
        assertThat(hasher.needsRehash(hasher.hash("correct horse battery".toCharArray()))).isFalse();
        assertThat(hasher.needsRehash("$2a$10$abcdefghijklmnopqrstuv")).isTrue();
    }

    @Test
    void refusesStoredValuesThatAreNotArgon2id() {
        assertThat(hasher.verify("x".toCharArray(), "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(hasher.verify("x".toCharArray(), "")).isFalse();
    }

    /**
     * Each derivation holds its memory cost on the heap, so only so many run at once; the next waits its turn for a
     * while and is then refused, instead of every sign-in of a flood taking 19 MiB together.
     */
    @Test
    void onlySoManyRunAtOnceAndOneWaitingTooLongIsRefused() throws Exception {
        String hash = hasher.hash("correct horse battery".toCharArray());
        PasswordHasher one = new PasswordHasher(19 * 1024, 3, 1, 1, Duration.ofMillis(100), new SecureRandom());
        CompletableFuture<Boolean> holding = holdTheOnlyTurn(one, 100);
        assertThatThrownBy(() -> one.verify("correct horse battery".toCharArray(), hash)).isInstanceOf(ServiceUnavailableException.class)
                .hasMessageNotContaining("correct");
        assertThat(one.refusedBusy()).isEqualTo(1);
        holding.join();
        assertThat(one.verify("correct horse battery".toCharArray(), hash)).as("its turn comes once the other is done").isTrue();
    }

    /** A flood must not park every server thread in the queue: past so many waiting, a check is refused at once. */
    @Test
    void pastSoManyWaitingACheckIsRefusedWithoutWaiting() throws Exception {
        String hash = hasher.hash("correct horse battery".toCharArray());
        PasswordHasher one = new PasswordHasher(19 * 1024, 3, 1, 1, Duration.ofMinutes(1), new SecureRandom());
        CompletableFuture<Boolean> holding = holdTheOnlyTurn(one, 200);
        ExecutorService threads = Executors.newFixedThreadPool(Turns.WAITING_PER_TURN);
        try {
            List<Future<Boolean>> waiting = new ArrayList<>();
            for (int i = 0; i < Turns.WAITING_PER_TURN; i++) {
                waiting.add(threads.submit(() -> one.verify("correct horse battery".toCharArray(), hash)));
            }
            while (one.waiting() < Turns.WAITING_PER_TURN) {
                assertThat(holding).as("the turn is still held while the others queue").isNotDone();
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> one.verify("correct horse battery".toCharArray(), hash)).isInstanceOf(ServiceUnavailableException.class);
            assertThat(holding).as("refused before the turn came free, not after waiting for it").isNotDone();
            for (Future<Boolean> check : waiting) {
                assertThat(check.get()).as("those waiting get their turn").isTrue();
            }
            assertThat(one.refusedBusy()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Starts checking a password against a stored hash of {@code passes} passes (a hundred take a second or so here)
     * and returns once that check holds the hasher's only turn.
     */
    private static CompletableFuture<Boolean> holdTheOnlyTurn(PasswordHasher one, int passes) {
        String costly = "$argon2id$v=19$m=19456,t=" + passes + ",p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        CompletableFuture<Boolean> holding = CompletableFuture.supplyAsync(() -> one.verify("x".toCharArray(), costly));
        while (one.running() == 0 && !holding.isDone()) {
            Thread.onSpinWait();
        }
        return holding;
    }
}
