package org.custody.log.signing;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An Ed25519 public key prepared for checking many signatures: verify-log checks one per stored checkpoint, over a
 * hundred thousand per million entries, nearly all by the same key.
 *
 * <p>The check is the one of RFC 8032 §5.1.7 without the cofactor, as Go's {@code crypto/ed25519} makes it (the
 * verifier of golang.org/x/mod/sumdb/note): S must be below the group order L, k = SHA-512(R || A || M) mod L, and the
 * signature holds when the encoding of [S]B − [k]A is exactly the 32 bytes R. Each signature is checked on its own;
 * nothing is batched, so nothing is accepted that the cofactorless equation rejects.
 *
 * <p>What makes it cheaper than a general check: both points of the equation are fixed, B by the curve and A by this
 * key, so both get a table of their multiples j · 128^i · P (j = 1..64, i = 0..36) once, and each check is then at
 * most 74 additions of table points (scalars in signed base-128 digits) and one inversion, with no doublings and no decoding
 * of R. The points and their arithmetic are {@link EdwardsPoint}'s.
 *
 * <p>{@link NoteKey} uses this only to accept: a signature this rejects is checked again by Bouncy Castle.
 */
final class PreparedKey {
    /** The order of the base point: 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    /**
     * Bits per signed digit of a scalar. Base 128 takes 74 additions a check where base 16 took 128, for tables of 2,368
     * points (about half a megabyte) instead of 512; SignatureBenchmark measured bases 64 and 256 within a microsecond of it.
     */
    static final int WINDOW = 7;
    /** Digits of a scalar below 2^256. */
    static final int DIGITS = (256 + WINDOW - 1) / WINDOW;
    /** The largest magnitude of a digit: the multiples j · 2^(WINDOW · i) · P a table holds for each i, j = 1..HALF. */
    static final int HALF = 1 << (WINDOW - 1);
    private static final Table BASE = new Table(EdwardsPoint.decode(EdwardsPoint.BASE_ENCODED));

    private final byte[] encoded;
    /** The table of −A, so that the check adds [k](−A). */
    private final Table minusA;

    private PreparedKey(byte[] encoded, Table minusA) {
        this.encoded = encoded;
        this.minusA = minusA;
    }

    /** The key prepared, or null when its 32 bytes are not the canonical encoding of a curve point. */
    static PreparedKey of(byte[] publicKey) {
        EdwardsPoint a = EdwardsPoint.decode(publicKey);
        if (a == null) {
            return null;
        }
        a.negate();
        return new PreparedKey(publicKey.clone(), new Table(a));
    }

    /** Whether {@code signature} (R || S) is this key's Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        if (EdwardsPoint.unsigned(s).compareTo(L) >= 0) {
            return false;
        }
        MessageDigest sha512 = sha512();
        sha512.update(signature, 0, 32);
        sha512.update(encoded);
        byte[] k = EdwardsPoint.littleEndian(EdwardsPoint.unsigned(sha512.digest(message)).mod(L));
        EdwardsPoint r = EdwardsPoint.neutral();
        EdwardsPoint.Scratch scratch = new EdwardsPoint.Scratch();
        BASE.addMultiple(r, digits(s), scratch);
        minusA.addMultiple(r, digits(k), scratch);
        return MessageDigest.isEqual(r.encode(), Arrays.copyOfRange(signature, 0, 32));
    }

    /**
     * A 32-byte little-endian scalar as {@link #DIGITS} signed base-2^{@link #WINDOW} digits, least significant first:
     * each in −HALF..HALF − 1, the last in 0..HALF (it holds at most the top four bits and a carry).
     */
    static int[] digits(byte[] scalar) {
        int[] digits = new int[DIGITS];
        for (int i = 0; i < DIGITS; i++) {
            // the WINDOW bits from bit i · WINDOW on lie within two adjacent bytes
            int bit = i * WINDOW;
            int at = bit >> 3;
            int twoBytes = (scalar[at] & 0xff) | (at + 1 < 32 ? (scalar[at + 1] & 0xff) << 8 : 0);
            digits[i] = twoBytes >> (bit & 7) & (1 << WINDOW) - 1;
        }
        int carry = 0;
        for (int i = 0; i < DIGITS - 1; i++) {
            digits[i] += carry;
            carry = (digits[i] + HALF) >> WINDOW;
            digits[i] -= carry << WINDOW;
        }
        digits[DIGITS - 1] += carry;
        return digits;
    }

    /** j · 2^(WINDOW · i) · P for j = 1..HALF and i = 0..DIGITS − 1. */
    static final class Table {
        private final EdwardsPoint.Affine[][] multiples = new EdwardsPoint.Affine[DIGITS][HALF];

        Table(EdwardsPoint point) {
            EdwardsPoint.Scratch scratch = new EdwardsPoint.Scratch();
            EdwardsPoint power = point.copy();
            for (int i = 0; i < DIGITS; i++) {
                EdwardsPoint multiple = power.copy();
                multiples[i][0] = multiple.affine();
                for (int j = 1; j < HALF; j++) {
                    multiple.add(power, scratch);
                    multiples[i][j] = multiple.affine();
                }
                // 2^WINDOW · power = 2 · (HALF · power)
                multiple.add(multiple.copy(), scratch);
                power = multiple;
            }
        }

        /** sum += Σ digits[i] · 2^(WINDOW · i) · P. */
        void addMultiple(EdwardsPoint sum, int[] digits, EdwardsPoint.Scratch scratch) {
            for (int i = 0; i < DIGITS; i++) {
                int digit = digits[i];
                if (digit != 0) {
                    sum.add(multiples[i][Math.abs(digit) - 1], digit < 0, scratch);
                }
            }
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
