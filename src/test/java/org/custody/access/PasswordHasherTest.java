package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
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
}
