package dev.batchwise.image;

/**
 * Resizes decoded pixels, computing only a window of the output (what a centre crop keeps).
 *
 * <p>Pillow's filters run as Pillow's {@code ImagingResample} runs them on 8-bit images: a horizontal
 * pass into an 8-bit image of the rows the vertical pass needs, then the vertical pass, each in
 * 22-bit fixed point with rounding and clipping to 0..255; an axis whose size does not change is not
 * resampled. So a whole image at full resolution comes out bit for bit as Pillow's {@code resize}.
 *
 * <p>The aligned-corners bilinear runs as TensorFlow's {@code resize_bilinear(align_corners=True)}:
 * in floating point on rescaled samples, not rounded.
 */
final class Resizer {

    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private Resizer() {}

    /**
     * Rows {@code [r0, r1)} and columns {@code [c0, c1)} of {@code img} resized to {@code outW x outH}
     * with a Pillow filter, as 8-bit RGB.
     */
    static byte[] pillow(RgbImage img, Resample filter, int outH, int outW, int r0, int r1, int c0, int c1) {
        boolean needH = outW != img.fullWidth() || img.periodX() != 1;
        boolean needV = outH != img.fullHeight() || img.periodY() != 1;
        int cols = c1 - c0;
        int rows = r1 - r0;
        AxisTaps v = needV ? AxisTaps.of(filter, false, img.fullHeight(), outH, r0, r1, img.offsetY(), img.periodY(),
                img.height()) : null;
        int rowLo;
        int rowHi;
        if (needV) {
            rowLo = Integer.MAX_VALUE;
            rowHi = 0;
            for (int i = 0; i < rows; i++) {
                rowLo = Math.min(rowLo, v.first[i]);
                rowHi = Math.max(rowHi, v.first[i] + v.count[i]);
            }
        } else {
            rowLo = r0 - img.offsetY();
            rowHi = r1 - img.offsetY();
        }
        byte[] src = img.rgb();
        int w = img.width();
        byte[] temp = new byte[(rowHi - rowLo) * cols * 3];
        if (needH) {
            AxisTaps h = AxisTaps.of(filter, false, img.fullWidth(), outW, c0, c1, img.offsetX(), img.periodX(), w);
            int[] k = h.fixedPoint();
            for (int y = rowLo; y < rowHi; y++) {
                int in = y * w * 3;
                int out = (y - rowLo) * cols * 3;
                for (int x = 0; x < cols; x++) {
                    int kk = x * h.stride;
                    int p = in + h.first[x] * 3;
                    int sr = HALF;
                    int sg = HALF;
                    int sb = HALF;
                    for (int t = 0; t < h.count[x]; t++, p += 3) {
                        int weight = k[kk + t];
                        sr += (src[p] & 0xFF) * weight;
                        sg += (src[p + 1] & 0xFF) * weight;
                        sb += (src[p + 2] & 0xFF) * weight;
                    }
                    temp[out++] = clip8(sr);
                    temp[out++] = clip8(sg);
                    temp[out++] = clip8(sb);
                }
            }
        } else {
            for (int y = rowLo; y < rowHi; y++) {
                System.arraycopy(src, (y * w + c0 - img.offsetX()) * 3, temp, (y - rowLo) * cols * 3, cols * 3);
            }
        }
        if (!needV) {
            return temp;
        }
        byte[] out = new byte[rows * cols * 3];
        int[] k = v.fixedPoint();
        int line = cols * 3;
        for (int y = 0; y < rows; y++) {
            int kk = y * v.stride;
            int base = (v.first[y] - rowLo) * line;
            int o = y * line;
            for (int x = 0; x < line; x++) {
                int s = HALF;
                int p = base + x;
                for (int t = 0; t < v.count[y]; t++, p += line) {
                    s += (temp[p] & 0xFF) * k[kk + t];
                }
                out[o + x] = clip8(s);
            }
        }
        return out;
    }

    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /**
     * Rows {@code [r0, r1)} and columns {@code [c0, c1)} of {@code img} resized to {@code outW x outH}
     * by aligned-corners bilinear interpolation of the samples times {@code rescale}, interleaved RGB.
     */
    static float[] alignCorners(RgbImage img, int outH, int outW, int r0, int r1, int c0, int c1, double rescale) {
        AxisTaps v = AxisTaps.alignCorners(img.fullHeight(), outH, r0, r1, img.offsetY(), img.periodY(), img.height());
        AxisTaps h = AxisTaps.alignCorners(img.fullWidth(), outW, c0, c1, img.offsetX(), img.periodX(), img.width());
        float[] lut = new float[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = (float) (i * rescale);
        }
        byte[] src = img.rgb();
        int w = img.width();
        int cols = c1 - c0;
        int[] left = new int[cols];
        int[] right = new int[cols];
        double[] colFrac = new double[cols];
        for (int x = 0; x < cols; x++) {
            left[x] = h.first[x] * 3;
            right[x] = (h.first[x] + h.count[x] - 1) * 3;
            colFrac[x] = h.count[x] == 2 ? h.weights[x * 2 + 1] : 0.0;
        }
        float[] out = new float[(r1 - r0) * cols * 3];
        int o = 0;
        for (int y = 0; y < r1 - r0; y++) {
            int top = v.first[y] * w * 3;
            int bottom = (v.first[y] + v.count[y] - 1) * w * 3;
            double rowFrac = v.count[y] == 2 ? v.weights[y * 2 + 1] : 0.0;
            for (int x = 0; x < cols; x++) {
                int tl = top + left[x];
                int tr = top + right[x];
                int bl = bottom + left[x];
                int br = bottom + right[x];
                double cf = colFrac[x];
                for (int c = 0; c < 3; c++) {
                    // TensorFlow's order of operations: along the row first, then between the rows
                    double a = lut[src[tl + c] & 0xFF];
                    double b = lut[src[tr + c] & 0xFF];
                    double d = lut[src[bl + c] & 0xFF];
                    double e = lut[src[br + c] & 0xFF];
                    double t = a + (b - a) * cf;
                    double u = d + (e - d) * cf;
                    out[o++] = (float) (t + (u - t) * rowFrac);
                }
            }
        }
        return out;
    }
}
