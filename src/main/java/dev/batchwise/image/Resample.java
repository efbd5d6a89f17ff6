package dev.batchwise.image;

/**
 * Pillow's resampling filters, by the codes {@code preprocessor_config.json}'s {@code resample}
 * holds (PIL's {@code Image.Resampling} values), with each filter's support and kernel as Pillow's
 * {@code Resample.c} defines them.
 */
public enum Resample {
    NEAREST(0, 0.0),
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    private final int code;
    private final double support;

    Resample(int code, double support) {
        this.code = code;
        this.support = support;
    }

    public int code() {
        return code;
    }

    /** How far from a sample's centre the kernel reaches, in input pixels at scale 1. */
    double support() {
        return support;
    }

    /** The filter of a PIL code, or {@code null} for an unknown one. */
    public static Resample ofCode(int code) {
        for (Resample r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }

    /** The kernel at {@code x} (in input pixels, already divided by the scale when downsampling). */
    double kernel(double x) {
        switch (this) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR:
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            case HAMMING:
                if (x < 0.0) {
                    x = -x;
                }
                if (x == 0.0) {
                    return 1.0;
                }
                if (x >= 1.0) {
                    return 0.0;
                }
                x = x * Math.PI;
                return Math.sin(x) / x * (0.54f + 0.46f * Math.cos(x)); // Pillow's constants are floats
            case BICUBIC: {
                double a = -0.5;
                if (x < 0.0) {
                    x = -x;
                }
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
            default:
                throw new IllegalStateException("nearest has no kernel");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT) + " (" + code + ")";
    }
}
