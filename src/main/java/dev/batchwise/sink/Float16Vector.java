package dev.batchwise.sink;

import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A vector in IEEE 754 half precision (numpy's {@code float16}), as its 16-bit patterns. In JSON
 * each element is written as the shortest decimal that reads back as the same half-precision
 * number; in {@code .npy} and Parquet as the 2-byte little-endian patterns.
 *
 * @param bits one half-precision bit pattern per element
 */
public record Float16Vector(short[] bits) {

    /** Each element rounded to the nearest half-precision number, ties to even (as numpy's astype). */
    public static Float16Vector of(float[] v) {
        short[] bits = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = toHalf(v[i]);
        }
        return new Float16Vector(bits);
    }

    /** The elements as JSON writes them: the shortest decimals that round to the same halves. */
    @JsonValue
    public BigDecimal[] decimals() {
        BigDecimal[] out = new BigDecimal[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = shortest(bits[i]);
        }
        return out;
    }

    public float[] floats() {
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = toFloat(bits[i]);
        }
        return out;
    }

    /** Rounds to the nearest half-precision number, ties to even; overflow gives infinity. */
    public static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
        }
        if (abs >= 0x477ff000) { // 65520 and above round to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // a normal half: 2^-14 and above
            int v = abs - 0x38000000; // rebias the exponent from 127 to 15
            v += 0xfff + ((v >>> 13) & 1);
            return (short) (sign | (v >>> 13));
        }
        if (abs >= 0x33000000) { // a subnormal half: from 2^-25, which rounds (to even) to zero
            int exponent = abs >>> 23;
            int mantissa = (abs & 0x7fffff) | 0x800000;
            int shift = 126 - exponent;
            int half = mantissa >>> shift;
            int rest = mantissa & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        return (short) sign;
    }

    public static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The shortest decimal whose nearest half is {@code h}. */
    static BigDecimal shortest(short h) {
        float f = toFloat(h);
        if (f == 0 || Float.isNaN(f) || Float.isInfinite(f)) {
            return BigDecimal.ZERO; // JSON has no infinity; a unit vector has none
        }
        BigDecimal exact = new BigDecimal(f);
        for (int digits = 1; digits < 12; digits++) {
            BigDecimal d = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (toHalf(d.floatValue()) == h) {
                return d.stripTrailingZeros();
            }
        }
        return exact;
    }
}
