package org.custody.log.signing;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A point of edwards25519, the curve of Ed25519 (RFC 8032 §5.1), in extended twisted Edwards coordinates
 * (X : Y : Z : T) with x = X/Z, y = Y/Z and xy = T/Z: decoding, encoding and the unified addition of Hisil, Wong,
 * Carter and Dawson (2008), complete on this curve. The field arithmetic is Bouncy Castle's ({@link X25519Field}).
 * Everything here runs in variable time: it serves signature checks, whose inputs are all public.
 */
final class EdwardsPoint {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    /** The curve constant d = −121665/121666. */
    private static final BigInteger D_VALUE = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final int[] D = element(D_VALUE);
    private static final int[] D2 = element(D_VALUE.shiftLeft(1).mod(P));
    /** The base point B: y = 4/5 and x even (RFC 8032 §5.1). */
    static final byte[] BASE_ENCODED = littleEndian(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P));

    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();

    private EdwardsPoint() {}

    static EdwardsPoint neutral() {
        EdwardsPoint point = new EdwardsPoint();
        X25519Field.one(point.y);
        X25519Field.one(point.z);
        return point;
    }

    /**
     * The point a 32-byte encoding names (RFC 8032 §5.1.3), or null: y below p, x recovered from y with the sign the
     * top bit gives, and no x of zero with the sign bit set.
     */
    static EdwardsPoint decode(byte[] encoding) {
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
        X25519Field.copy(yy, 0, u, 0);
        X25519Field.subOne(u);
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
        EdwardsPoint point = neutral();
        X25519Field.copy(x, 0, point.x, 0);
        X25519Field.copy(y, 0, point.y, 0);
        X25519Field.mul(x, y, point.t);
        return point;
    }

    EdwardsPoint copy() {
        EdwardsPoint copy = new EdwardsPoint();
        X25519Field.copy(x, 0, copy.x, 0);
        X25519Field.copy(y, 0, copy.y, 0);
        X25519Field.copy(z, 0, copy.z, 0);
        X25519Field.copy(t, 0, copy.t, 0);
        return copy;
    }

    /** This point negated in place: −(x, y) = (−x, y). */
    void negate() {
        X25519Field.negate(x, x);
        X25519Field.negate(t, t);
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
    void add(EdwardsPoint other, Scratch s) {
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

    /** this += ±q for an affine point q: minus swaps its y + x and y − x and negates its 2dxy. */
    void add(Affine q, boolean minus, Scratch s) {
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

    /** The 32-byte encoding (RFC 8032 §5.1.2): y with the sign of x in the top bit. */
    byte[] encode() {
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        affineCoordinates(ax, ay);
        X25519Field.normalize(ax);
        X25519Field.normalize(ay);
        byte[] encoding = new byte[32];
        X25519Field.encode(ay, encoding, 0);
        encoding[31] |= (byte) ((ax[0] & 1) << 7);
        return encoding;
    }

    /** This point made affine as (y + x, y − x, 2dxy), the form the mixed addition takes. */
    Affine affine() {
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        affineCoordinates(ax, ay);
        int[] yPlusX = X25519Field.create();
        int[] yMinusX = X25519Field.create();
        X25519Field.add(ay, ax, yPlusX);
        X25519Field.sub(ay, ax, yMinusX);
        X25519Field.carry(yPlusX);
        X25519Field.carry(yMinusX);
        int[] xy2d = X25519Field.create();
        X25519Field.mul(ax, ay, xy2d);
        X25519Field.mul(xy2d, D2, xy2d);
        return new Affine(yPlusX, yMinusX, xy2d);
    }

    /** x = X/Z and y = Y/Z into {@code ax} and {@code ay}; the inversion runs in variable time, as everything here may. */
    private void affineCoordinates(int[] ax, int[] ay) {
        int[] zInverse = X25519Field.create();
        X25519Field.invVar(z, zInverse);
        X25519Field.mul(x, zInverse, ax);
        X25519Field.mul(y, zInverse, ay);
    }

    /** An affine point as (y + x, y − x, 2dxy). */
    record Affine(int[] yPlusX, int[] yMinusX, int[] xy2d) {}

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
}
