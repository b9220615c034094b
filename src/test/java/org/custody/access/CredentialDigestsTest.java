package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CredentialDigestsTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=3,p=1$c2FsdA$aGFzaA";
    private static final byte[] SECRET = toBytes(IntStream.range(0, 20));

    /** Known answers, computed apart from this code (Python's hashlib over the encoding the class documents). */
    @Test
    void digestsAreSha256OverTheDomainTagAndLengthPrefixedFields() {
        assertThat(CredentialDigests.credentials(HASH, true, SECRET, false)).isEqualTo("lxofVM5CpNDPhHkw63jsn3BsZiXPWQTSBgvkBvTbFIc=");
        assertThat(CredentialDigests.credentials(HASH, false, null, false)).isEqualTo("2BryOtmaVlL4E1GOGUK/ho0QhHBB5Q7BmdFz9pCHpTk=");
        byte[] tokenHash = new byte[32];
        Arrays.fill(tokenHash, (byte) 7);
        assertThat(CredentialDigests.sessionToken(tokenHash)).isEqualTo("3YVaVznm28xnSp2FV2m9TVExFmxfRaw4mipW2sPYi+w=");
    }

    @Test
    void everyFieldChangesTheDigest() {
        List<String> digests = List.of(
                CredentialDigests.credentials(HASH, false, SECRET, true),
                CredentialDigests.credentials(HASH + "x", false, SECRET, true),
                CredentialDigests.credentials(HASH, true, SECRET, true),
                CredentialDigests.credentials(HASH, false, null, true),
                CredentialDigests.credentials(HASH, false, Arrays.copyOf(SECRET, 21), true),
                CredentialDigests.credentials(HASH, false, SECRET, false));
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
