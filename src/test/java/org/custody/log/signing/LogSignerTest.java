package org.custody.log.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** Ed25519 signing ({@link LogSigner}) and checking ({@link NoteKey#verifies}) against RFC 8032 §7.1, TEST 2 (a one-byte message). */
class LogSignerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SECRET = HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    private static final byte[] PUBLIC = HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    private static final byte[] MESSAGE = HEX.parseHex("72");
    private static final byte[] SIGNATURE = HEX.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

    @Test
    void signsAndChecksTheRfc8032Vector() {
        LogSigner signer = new LogSigner("rfc8032", new Ed25519PrivateKeyParameters(SECRET, 0));
        assertThat(signer.key().publicKey()).isEqualTo(PUBLIC);
        assertThat(signer.sign(MESSAGE)).isEqualTo(SIGNATURE);
        NoteKey key = new NoteKey("rfc8032", PUBLIC);
        for (int check = 0; check < 3; check++) { // the key is decoded once: the answer must not change
            assertThat(key.verifies(MESSAGE, SIGNATURE)).isTrue();
        }
    }

    @Test
    void refusesAnyChangeToTheSignatureMessageOrKey() {
        NoteKey key = new NoteKey("rfc8032", PUBLIC);
        for (int bit = 0; bit < 512; bit += 37) {
            byte[] signature = SIGNATURE.clone();
            signature[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(key.verifies(MESSAGE, signature)).as("bit %d flipped", bit).isFalse();
        }
        assertThat(key.verifies(HEX.parseHex("73"), SIGNATURE)).isFalse();
        NoteKey otherKey = new LogSigner("rfc8032", new Ed25519PrivateKeyParameters(new byte[32], 0)).key();
        assertThat(otherKey.verifies(MESSAGE, SIGNATURE)).isFalse();
        assertThat(key.verifies(MESSAGE, Arrays.copyOf(SIGNATURE, 63))).isFalse();
    }

    @Test
    void aKeyThatIsNoCurvePointVerifiesNothingAndThrowsNothing() {
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xff);
        notAPoint[31] = 0x7f; // y = 2^255 - 1, not below the field prime
        assertThat(new NoteKey("rfc8032", notAPoint).verifies(MESSAGE, SIGNATURE)).isFalse();
    }
}
