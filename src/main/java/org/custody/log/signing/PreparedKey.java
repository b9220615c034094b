package org.custody.log.signing;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

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
 * of R. The field arithmetic is Bouncy Castle's ({@link X25519Field}); the points, in extended twisted Edwards
 * coordinates, use the unified addition of Hisil, Wong, Carter and Dawson (2008), complete on this curve.
 *
 * <p>{@link NoteKey} uses this only to accept: a signature this rejects is checked again by Bouncy Castle.
 */
final class PreparedKey {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    /** The order of the base point: 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    /** The curve constant d = −121665/121666. */
    private static final BigInteger D_VALUE = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final int[] D = element(D_VALUE);
    private static final int[] D2 = element(D_VALUE.shiftLeft(1).mod(P));
    /** The base point B: y = 4/5 and x even (RFC 8032 §5.1). */
    private static final byte[] BASE_ENCODED = littleEndian(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P));
    /**
     * Bits per signed digit of a scalar. Base 128 takes 74 additions a check where base 16 took 128, for tables of 2,368
     * points (about half a megabyte) instead of 512; SignatureBenchmark measured bases 64 and 256 within a microsecond of it.
     */
    static final int WINDOW = 7;
    /** Digits of a scalar below 2^256. */
    static final int DIGITS = (256 + WINDOW - 1) / WINDOW;
    /** The largest magnitude of a digit: the multiples j · 2^(WINDOW · i) · P a table holds for each i, j = 1..HALF. */
    static final int HALF = 1 << (WINDOW - 1);
    private static final Table BASE = new Table(decode(BASE_ENCODED));

    private final byte[] encoded;
    /** The table of −A, so that the check adds [k](−A). */
    private final Table minusA;

    private PreparedKey(byte[] encoded, Table minusA) {
        this.encoded = encoded;
        this.minusA = minusA;
    }

    /** The key prepared, or null when its 32 bytes are not the canonical encoding of a curve point. */
    static PreparedKey of(byte[] publicKey) {
        Point a = decode(publicKey);
        if (a == null) {
            return null;
        }
        X25519Field.negate(a.x, a.x);
        X25519Field.negate(a.t, a.t);
        return new PreparedKey(publicKey.clone(), new Table(a));
    }

    /** Whether {@code signature} (R || S) is this key's Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        if (unsigned(s).compareTo(L) >= 0) {
            return false;
        }
        MessageDigest sha512 = sha512();
        sha512.update(signature, 0, 32);
        sha512.update(encoded);
        byte[] k = littleEndian(unsigned(sha512.digest(message)).mod(L));
        Point r = Point.neutral();
        Point.Scratch scratch = new Point.Scratch();
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

    /**
     * The point a 32-byte encoding names (RFC 8032 §5.1.3), or null: y below p, x recovered from y with the sign the
     * top bit gives, and no x of zero with the sign bit set.
     */
    static Point decode(byte[] encoding) {
        if (encoding.length != 32) {
            return null;
        }
        byte[] yBytes = encoding.clone();
        boolean negative = (yBytes[31] & 0x80) != 0;
        yBytes[31] &= 0x7f;
        if (unsigned(yBytes).compareTo(P) >= 0) {
            return null;
        }
        int[] y = X25519Field.create();
        X25519Field.decode(yBytes, 0, y);
        int[] yy = X25519Field.create();
        X25519Field.sqr(y, yy);
        int[] u = X25519Field.create();
        X25519Field.subOne(copyOf(yy, u));
        int[] v = X25519Field.create();
        X25519Field.mul(D, yy, v);
        X25519Field.addOne(v);
        int[] x = X25519Field.create();
        if (!X25519Field.sqrtRatioVar(u, v, x)) {
            return null;
        }
        X25519Field.normalize(x);
        if (X25519Field.isZeroVar(x) && negative) {
            return null;
        }
        if (((x[0] & 1) != 0) != negative) {
            X25519Field.negate(x, x);
            X25519Field.normalize(x);
        }
        Point point = Point.neutral();
        X25519Field.copy(x, 0, point.x, 0);
        X25519Field.copy(y, 0, point.y, 0);
        X25519Field.mul(x, y, point.t);
        return point;
    }

    /** A point in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, xy = T/Z. */
    static final class Point {
        final int[] x = X25519Field.create();
        final int[] y = X25519Field.create();
        final int[] z = X25519Field.create();
        final int[] t = X25519Field.create();

        static Point neutral() {
            Point point = new Point();
            X25519Field.one(point.y);
            X25519Field.one(point.z);
            return point;
        }

        Point copy() {
            Point copy = new Point();
            X25519Field.copy(x, 0, copy.x, 0);
            X25519Field.copy(y, 0, copy.y, 0);
            X25519Field.copy(z, 0, copy.z, 0);
            X25519Field.copy(t, 0, copy.t, 0);
            return copy;
        }

        /** Work space for additions, so that a check allocates it once. */
        static final class Scratch {
            final int[] a = X25519Field.create();
            final int[] b = X25519Field.create();
            final int[] c = X25519Field.create();
            final int[] d = X25519Field.create();
            final int[] e = X25519Field.create();
            final int[] f = X25519Field.create();
            final int[] g = X25519Field.create();
            final int[] h = X25519Field.create();
        }

        /** this += other, both in extended coordinates (add-2008-hwcd-3, a = −1). */
        void add(Point other, Scratch s) {
            X25519Field.sub(y, x, s.a);
            X25519Field.sub(other.y, other.x, s.e);
            X25519Field.mul(s.a, s.e, s.a);
            X25519Field.add(y, x, s.b);
            X25519Field.add(other.y, other.x, s.e);
            X25519Field.mul(s.b, s.e, s.b);
            X25519Field.mul(t, other.t, s.c);
            X25519Field.mul(s.c, D2, s.c);
            X25519Field.mul(z, other.z, s.d);
            X25519Field.add(s.d, s.d, s.d);
            finish(s);
        }

        /** this += ±q for a table point q: minus swaps its y + x and y − x and negates its 2dxy. */
        void add(Precomputed q, boolean minus, Scratch s) {
            X25519Field.sub(y, x, s.a);
            X25519Field.mul(s.a, minus ? q.yPlusX : q.yMinusX, s.a);
            X25519Field.add(y, x, s.b);
            X25519Field.mul(s.b, minus ? q.yMinusX : q.yPlusX, s.b);
            X25519Field.mul(t, q.xy2d, s.c);
            if (minus) {
                X25519Field.negate(s.c, s.c);
            }
            X25519Field.add(z, z, s.d);
            finish(s);
        }

        /** The common end of both additions, from A, B, C and D. */
        private void finish(Scratch s) {
            X25519Field.sub(s.b, s.a, s.e);
            X25519Field.sub(s.d, s.c, s.f);
            X25519Field.add(s.d, s.c, s.g);
            X25519Field.add(s.b, s.a, s.h);
            X25519Field.carry(s.e);
            X25519Field.carry(s.f);
            X25519Field.carry(s.g);
            X25519Field.carry(s.h);
            X25519Field.mul(s.e, s.f, x);
            X25519Field.mul(s.g, s.h, y);
            X25519Field.mul(s.e, s.h, t);
            X25519Field.mul(s.f, s.g, z);
        }

        /** The 32-byte encoding: y with the sign of x in the top bit. */
        byte[] encode() {
            int[] zInverse = X25519Field.create();
            X25519Field.invVar(z, zInverse); // variable time: everything a check handles is public
            int[] ax = X25519Field.create();
            int[] ay = X25519Field.create();
            X25519Field.mul(x, zInverse, ax);
            X25519Field.mul(y, zInverse, ay);
            X25519Field.normalize(ax);
            X25519Field.normalize(ay);
            byte[] encoding = new byte[32];
            X25519Field.encode(ay, encoding, 0);
            encoding[31] |= (byte) ((ax[0] & 1) << 7);
            return encoding;
        }
    }

    /** An affine point as (y + x, y − x, 2dxy), the form the mixed addition takes. */
    record Precomputed(int[] yPlusX, int[] yMinusX, int[] xy2d) {
        static Precomputed of(Point point) {
            int[] zInverse = X25519Field.create();
            X25519Field.inv(point.z, zInverse);
            int[] x = X25519Field.create();
            int[] y = X25519Field.create();
            X25519Field.mul(point.x, zInverse, x);
            X25519Field.mul(point.y, zInverse, y);
            int[] yPlusX = X25519Field.create();
            int[] yMinusX = X25519Field.create();
            X25519Field.add(y, x, yPlusX);
            X25519Field.sub(y, x, yMinusX);
            X25519Field.carry(yPlusX);
            X25519Field.carry(yMinusX);
            int[] xy2d = X25519Field.create();
            X25519Field.mul(x, y, xy2d);
            X25519Field.mul(xy2d, D2, xy2d);
            return new Precomputed(yPlusX, yMinusX, xy2d);
        }
    }

    /** j · 2^(WINDOW · i) · P for j = 1..HALF and i = 0..DIGITS − 1. */
    static final class Table {
        private final Precomputed[][] multiples = new Precomputed[DIGITS][HALF];

        Table(Point point) {
            Point.Scratch scratch = new Point.Scratch();
            Point power = point.copy();
            for (int i = 0; i < DIGITS; i++) {
                Point multiple = power.copy();
                multiples[i][0] = Precomputed.of(multiple);
                for (int j = 1; j < HALF; j++) {
                    multiple.add(power, scratch);
                    multiples[i][j] = Precomputed.of(multiple);
                }
                // 2^WINDOW · power = 2 · (HALF · power)
                multiple.add(multiple.copy(), scratch);
                power = multiple;
            }
        }

        /** sum += Σ digits[i] · 2^(WINDOW · i) · P. */
        void addMultiple(Point sum, int[] digits, Point.Scratch scratch) {
            for (int i = 0; i < DIGITS; i++) {
                int digit = digits[i];
                if (digit != 0) {
                    sum.add(multiples[i][Math.abs(digit) - 1], digit < 0, scratch);
                }
            }
        }
    }

    private static int[] copyOf(int[] from, int[] to) {
        X25519Field.copy(from, 0, to, 0);
        return to;
    }

    private static int[] element(BigInteger value) {
        int[] element = X25519Field.create();
        X25519Field.decode(littleEndian(value), 0, element);
        return element;
    }

    /** The number a little-endian byte string names. */
    static BigInteger unsigned(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    /** A number below 2^256 as 32 little-endian bytes. */
    static byte[] littleEndian(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        byte[] result = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            result[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return result;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
