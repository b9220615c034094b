package org.custody.log.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * {@link PreparedKey}, this project's Ed25519 check with tables for a fixed key, and the curve points it adds
 * ({@link EdwardsPoint}), held to three references: the RFC 8032 §7.1 vectors, Bouncy Castle's check, and a slow
 * reference written here in affine coordinates with {@link BigInteger} from the curve's equations, which computes the
 * cofactorless equation Go checks (encode([S]B − [k]A) = R) and so can also build the signatures a wrong
 * implementation would wrongly accept.
 */
class PreparedKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 §7.1 TEST 1, 2 and 3: secret key, public key, message, signature. */
    private static final String[][] RFC_8032 = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };

    @Test
    void acceptsTheRfc8032VectorsAndRefusesEachWithOneBitChanged() {
        for (String[] vector : RFC_8032) {
            byte[] publicKey = HEX.parseHex(vector[1]);
            byte[] message = HEX.parseHex(vector[2]);
            byte[] signature = HEX.parseHex(vector[3]);
            assertThat(new Ed25519PrivateKeyParameters(HEX.parseHex(vector[0]), 0).generatePublicKey().getEncoded()).isEqualTo(publicKey);
            PreparedKey key = PreparedKey.of(publicKey);
            assertThat(key.verifies(message, signature)).as(vector[3]).isTrue();
            for (int bit = 0; bit < 512; bit++) {
                byte[] changed = signature.clone();
                changed[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThat(key.verifies(message, changed)).as("signature bit %d", bit).isFalse();
            }
            byte[] longer = Arrays.copyOf(message, message.length + 1);
            assertThat(key.verifies(longer, signature)).isFalse();
            assertThat(key.verifies(message, Arrays.copyOf(signature, 63))).isFalse();
        }
    }

    @Property(tries = 200)
    void agreesWithBouncyCastleOnSignaturesAndChangedOnes(@ForAll @Size(32) byte[] secret, @ForAll @Size(max = 300) byte[] message,
                                                         @ForAll @IntRange(min = -1, max = 511) int flippedBit) {
        Ed25519PrivateKeyParameters signer = new Ed25519PrivateKeyParameters(secret, 0);
        byte[] publicKey = signer.generatePublicKey().getEncoded();
        byte[] signature = new byte[64];
        signer.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        if (flippedBit >= 0) {
            signature[flippedBit / 8] ^= (byte) (1 << (flippedBit % 8));
        }
        boolean bouncyCastle = Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        assertThat(PreparedKey.of(publicKey).verifies(message, signature)).isEqualTo(bouncyCastle).isEqualTo(flippedBit < 0);
    }

    @Property(tries = 40)
    void computesTheSameEquationAsTheReference(@ForAll @Size(32) byte[] secret, @ForAll @Size(max = 64) byte[] message,
                                               @ForAll("scalars") BigInteger s, @ForAll boolean ignoreK) {
        byte[] publicKey = new Ed25519PrivateKeyParameters(secret, 0).generatePublicKey().getEncoded();
        // R chosen as a wrong check would compute it: [S]B alone (k ignored), or [S]B − [k']A with k' from another R
        byte[] guess = Reference.encode(Reference.multiply(s, Reference.BASE));
        byte[] r = ignoreK ? guess : Reference.encode(Reference.add(Reference.multiply(s, Reference.BASE),
                Reference.negate(Reference.multiply(Reference.k(guess, publicKey, message), Reference.decode(publicKey)))));
        byte[] signature = concat(r, EdwardsPoint.littleEndian(s));
        assertThat(PreparedKey.of(publicKey).verifies(message, signature)).isEqualTo(Reference.verifies(publicKey, message, signature)).isFalse();
    }

    @Property(tries = 60)
    void multipliesTheBasePointAsTheReferenceDoes(@ForAll("scalars") BigInteger scalar) {
        EdwardsPoint point = EdwardsPoint.neutral();
        PreparedKey.Table base = new PreparedKey.Table(EdwardsPoint.decode(Reference.encode(Reference.BASE)));
        base.addMultiple(point, PreparedKey.digits(EdwardsPoint.littleEndian(scalar)), new EdwardsPoint.Scratch());
        assertThat(point.encode()).isEqualTo(Reference.encode(Reference.multiply(scalar, Reference.BASE)));
    }

    @Property
    void signedDigitsAddUpToTheScalar(@ForAll("scalars") BigInteger scalar) {
        int[] digits = PreparedKey.digits(EdwardsPoint.littleEndian(scalar));
        BigInteger sum = BigInteger.ZERO;
        assertThat(digits).hasSize(PreparedKey.DIGITS);
        assertThat(digits[PreparedKey.DIGITS - 1]).isBetween(0, PreparedKey.HALF);
        for (int i = PreparedKey.DIGITS - 1; i >= 0; i--) {
            assertThat(digits[i]).isBetween(-PreparedKey.HALF, i == PreparedKey.DIGITS - 1 ? PreparedKey.HALF : PreparedKey.HALF - 1);
            sum = sum.shiftLeft(PreparedKey.WINDOW).add(BigInteger.valueOf(digits[i]));
        }
        assertThat(sum).isEqualTo(scalar);
    }

    @Test
    void refusesAnSThatIsNotBelowTheGroupOrder() {
        String[] vector = RFC_8032[1];
        byte[] publicKey = HEX.parseHex(vector[1]);
        byte[] message = HEX.parseHex(vector[2]);
        byte[] signature = HEX.parseHex(vector[3]);
        BigInteger s = EdwardsPoint.unsigned(Arrays.copyOfRange(signature, 32, 64));
        // S + L names the same scalar: the equation holds, but the encoding is not canonical, and Go refuses it
        byte[] malleated = concat(Arrays.copyOf(signature, 32), EdwardsPoint.littleEndian(s.add(Reference.L)));
        assertThat(Reference.verifiesIgnoringCanonicalS(publicKey, message, malleated)).isTrue();
        assertThat(PreparedKey.of(publicKey).verifies(message, malleated)).isFalse();
        assertThat(new NoteKey("rfc8032", publicKey).verifies(message, malleated)).isFalse();
    }

    @Test
    void decodesOnlyCanonicalEncodingsOfCurvePoints() {
        byte[] base = Reference.encode(Reference.BASE);
        assertThat(EdwardsPoint.decode(base).encode()).isEqualTo(base);
        byte[] notBelowP = new byte[32];
        Arrays.fill(notBelowP, (byte) 0xff);
        notBelowP[31] = 0x7f;
        assertThat(EdwardsPoint.decode(notBelowP)).isNull();
        BigInteger y = BigInteger.TWO;
        while (Reference.hasX(y)) {
            y = y.add(BigInteger.ONE);
        }
        // (y² − 1)/(dy² + 1) has no square root: no point has this y
        assertThat(EdwardsPoint.decode(EdwardsPoint.littleEndian(y))).isNull();
        assertThat(EdwardsPoint.decode(EdwardsPoint.littleEndian(y.subtract(BigInteger.ONE)))).isNotNull();
        byte[] minusZero = new byte[32];
        minusZero[0] = 1;
        minusZero[31] = (byte) 0x80; // y = 1 gives x = 0, which has no negative
        assertThat(EdwardsPoint.decode(minusZero)).isNull();
        assertThat(PreparedKey.of(notBelowP)).isNull();
    }

    @Test
    void aNoteKeyGivesTheSameAnswersOnceItIsPrepared() {
        String[] vector = RFC_8032[2];
        NoteKey key = new NoteKey("rfc8032", HEX.parseHex(vector[1]));
        byte[] message = HEX.parseHex(vector[2]);
        byte[] signature = HEX.parseHex(vector[3]);
        byte[] changed = signature.clone();
        changed[40] ^= 1;
        for (int check = 0; check < NoteKey.PREPARE_AFTER + 10; check++) {
            assertThat(key.verifies(message, signature)).isTrue();
            assertThat(key.verifies(message, changed)).isFalse();
        }
    }

    @Provide
    Arbitrary<BigInteger> scalars() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ZERO, Reference.L.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(8), BigInteger.valueOf(15), BigInteger.valueOf(16),
                        BigInteger.valueOf(31), BigInteger.valueOf(32), BigInteger.valueOf(33), BigInteger.valueOf(63), BigInteger.valueOf(64),
                        Reference.L.subtract(BigInteger.ONE), BigInteger.TWO.pow(252), BigInteger.TWO.pow(256).subtract(BigInteger.ONE)));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    /** Ed25519 from its equations, in affine coordinates with BigInteger: slow, short, and nothing shared with the code under test. */
    private static final class Reference {
        static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        static final BigInteger[] BASE = decode(littleEndian(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P)));

        /** (x1, y1) + (x2, y2) on −x² + y² = 1 + dx²y². */
        static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
            BigInteger dxxyy = D.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(P);
            BigInteger x = a[0].multiply(b[1]).add(a[1].multiply(b[0])).multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
            BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0])).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
            return new BigInteger[] {x, y};
        }

        static BigInteger[] negate(BigInteger[] point) {
            return new BigInteger[] {point[0].negate().mod(P), point[1]};
        }

        static BigInteger[] multiply(BigInteger scalar, BigInteger[] point) {
            BigInteger[] sum = {BigInteger.ZERO, BigInteger.ONE};
            for (int bit = scalar.bitLength() - 1; bit >= 0; bit--) {
                sum = add(sum, sum);
                if (scalar.testBit(bit)) {
                    sum = add(sum, point);
                }
            }
            return sum;
        }

        static byte[] encode(BigInteger[] point) {
            byte[] encoded = littleEndian(point[1]);
            encoded[31] |= (byte) (point[0].testBit(0) ? 0x80 : 0);
            return encoded;
        }

        static boolean hasX(BigInteger y) {
            BigInteger xx = y.pow(2).subtract(BigInteger.ONE).multiply(D.multiply(y.pow(2)).add(BigInteger.ONE).modInverse(P)).mod(P);
            return xx.signum() == 0 || xx.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
        }

        /** RFC 8032 §5.1.3, for the encodings these tests make (y below p, a point on the curve). */
        static BigInteger[] decode(byte[] encoded) {
            byte[] yBytes = encoded.clone();
            yBytes[31] &= 0x7f;
            BigInteger y = EdwardsPoint.unsigned(yBytes);
            BigInteger xx = y.pow(2).subtract(BigInteger.ONE).multiply(D.multiply(y.pow(2)).add(BigInteger.ONE).modInverse(P)).mod(P);
            BigInteger x = xx.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
            if (!x.pow(2).subtract(xx).mod(P).equals(BigInteger.ZERO)) {
                x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
            }
            if (x.testBit(0) != ((encoded[31] & 0x80) != 0)) {
                x = P.subtract(x).mod(P);
            }
            return new BigInteger[] {x, y};
        }

        static BigInteger k(byte[] r, byte[] publicKey, byte[] message) {
            try {
                MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
                sha512.update(r);
                sha512.update(publicKey);
                return EdwardsPoint.unsigned(sha512.digest(message)).mod(L);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Go's check: S below L, and encode([S]B − [k]A) = R. */
        static boolean verifies(byte[] publicKey, byte[] message, byte[] signature) {
            return EdwardsPoint.unsigned(Arrays.copyOfRange(signature, 32, 64)).compareTo(L) < 0
                    && verifiesIgnoringCanonicalS(publicKey, message, signature);
        }

        static boolean verifiesIgnoringCanonicalS(byte[] publicKey, byte[] message, byte[] signature) {
            byte[] r = Arrays.copyOf(signature, 32);
            BigInteger s = EdwardsPoint.unsigned(Arrays.copyOfRange(signature, 32, 64));
            BigInteger[] expected = add(multiply(s, BASE), negate(multiply(k(r, publicKey, message), decode(publicKey))));
            return Arrays.equals(encode(expected), r);
        }

        private static byte[] littleEndian(BigInteger value) {
            return EdwardsPoint.littleEndian(value);
        }
    }
}
