package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {
    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B: every time and algorithm of the table, 8 digits. */
    @ParameterizedTest
    @CsvSource({
            "59, 94287082, 46119246, 90693936",
            "1111111109, 07081804, 68084774, 25091201",
            "1111111111, 14050471, 67062674, 99943326",
            "1234567890, 89005924, 91819424, 93441116",
            "2000000000, 69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238AppendixBTestValues(long unixSeconds, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(unixSeconds));
        assertThat(Totp.code(SHA1_SEED, step, "HmacSHA1", 8)).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_SEED, step, "HmacSHA256", 8)).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_SEED, step, "HmacSHA512", 8)).isEqualTo(sha512);
    }

    @Test
    void aSixDigitCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        Instant at = Instant.ofEpochSecond(1111111111);
        long step = Totp.step(at);
        for (long offset = -1; offset <= 1; offset++) {
            String code = Totp.code(SHA1_SEED, step + offset, "HmacSHA1", 6);
            assertThat(Totp.matchingStep(SHA1_SEED, code, at)).hasValue(step + offset);
        }
        assertThat(Totp.matchingStep(SHA1_SEED, Totp.code(SHA1_SEED, step + 2, "HmacSHA1", 6), at)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_SEED, Totp.code(SHA1_SEED, step - 2, "HmacSHA1", 6), at)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_SEED, "12345", at)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_SEED, "12a456", at)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_SEED, null, at)).isEmpty();
    }

    /** RFC 4648 section 10 test vectors, without padding as otpauth URIs carry them. */
    @ParameterizedTest
    @CsvSource({"f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB", "foobar, MZXW6YTBOI"})
    void base32FollowsRfc4648(String text, String encoded) {
        assertThat(Totp.base32(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
        assertThat(new String(Totp.fromBase32(encoded), StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @Test
    void theUriIsWhatAuthenticatorAppsRead() {
        assertThat(Totp.uri("Custody Test", "lawyer.one", SHA1_SEED))
                .isEqualTo("otpauth://totp/Custody%20Test:lawyer.one?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Custody%20Test"
                        + "&algorithm=SHA1&digits=6&period=30");
    }
}
