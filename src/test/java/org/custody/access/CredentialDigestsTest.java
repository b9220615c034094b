package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CredentialDigestsTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=3,p=1$c2FsdA$aGFzaA";
    private static final byte[] SECRET = toBytes(IntStream.range(0, 20));

    private static final Instant EXPIRY = Instant.parse("2026-03-08T08:00:00Z");

    /**
     * Known answers, computed apart from this code (Python's hashlib over the encoding the class documents). The two
     * without an expiry are those of the code before one-time passwords expired: digests it logged still match.
     */
    @Test
    void digestsAreSha256OverTheDomainTagAndLengthPrefixedFields() {
        assertThat(CredentialDigests.credentials(HASH, true, SECRET, false, null)).isEqualTo("lxofVM5CpNDPhHkw63jsn3BsZiXPWQTSBgvkBvTbFIc=");
        assertThat(CredentialDigests.credentials(HASH, false, null, false, null)).isEqualTo("2BryOtmaVlL4E1GOGUK/ho0QhHBB5Q7BmdFz9pCHpTk=");
        // the expiry as a fifth field: its epoch milliseconds (1772956800000), eight bytes big-endian
        assertThat(CredentialDigests.credentials(HASH, true, null, false, EXPIRY)).isEqualTo("DPN786IiumAe8MY5hhUSLYWpWbM6KM+fU/vmupn6z7o=");
        byte[] tokenHash = new byte[32];
        Arrays.fill(tokenHash, (byte) 7);
        assertThat(CredentialDigests.sessionToken(tokenHash)).isEqualTo("3YVaVznm28xnSp2FV2m9TVExFmxfRaw4mipW2sPYi+w=");
    }

    @Test
    void everyFieldChangesTheDigest() {
        List<String> digests = List.of(
                CredentialDigests.credentials(HASH, false, SECRET, true, null),
                CredentialDigests.credentials(HASH + "x", false, SECRET, true, null),
                CredentialDigests.credentials(HASH, true, SECRET, true, null),
                CredentialDigests.credentials(HASH, false, null, true, null),
                CredentialDigests.credentials(HASH, false, Arrays.copyOf(SECRET, 21), true, null),
                CredentialDigests.credentials(HASH, false, SECRET, false, null),
                CredentialDigests.credentials(HASH, false, SECRET, true, EXPIRY),
                CredentialDigests.credentials(HASH, false, SECRET, true, EXPIRY.plusMillis(1)));
        Set<String> distinct = new HashSet<>(digests);
        assertThat(distinct).hasSameSizeAs(digests);
    }

    private static byte[] toBytes(IntStream values) {
        int[] ints = values.toArray();
        byte[] bytes = new byte[ints.length];
        for (int i = 0; i < ints.length; i++) {
            bytes[i] = (byte) ints[i];
        }
        return bytes;
    }
}
