package dev.batchwise.image;

/**
 * Which input pixels, with which weights, make each output pixel along one axis of a resize: for
 * the outputs {@code [from, to)} of a resize of {@code full} upright pixels to {@code out}. Input
 * indices are into the decoded pixels, whose index {@code j} is upright pixel {@code offset + j *
 * period}, {@code length} of them.
 *
 * <p>For Pillow's filters the weights are computed as Pillow's {@code precompute_coeffs} computes
 * them, in the same floating-point steps, so that for whole images at full resolution (offset 0,
 * period 1) they are bit for bit Pillow's. A subsampled decode is resampled as if its pixels were
 * points {@code period} apart.
 */
final class AxisTaps {

    final int from;
    final int to;
    /** Per output, its first input index (decoded) and how many inputs it takes. */
    final int[] first;
    final int[] count;
    /** Per output, {@link #stride} weights; the first {@link #count} are used. */
    final double[] weights;
    final int stride;

    private AxisTaps(int from, int to, int[] first, int[] count, double[] weights, int stride) {
        this.from = from;
        this.to = to;
        this.first = first;
        this.count = count;
        this.weights = weights;
        this.stride = stride;
    }

    /**
     * The upright input span {@code [lo, hi)} that the outputs {@code [from, to)} read from a whole
     * image at full resolution: what must be decoded.
     */
    static int[] span(Resample filter, boolean alignCorners, int full, int out, int from, int to) {
        AxisTaps t = alignCorners ? alignCorners(full, out, from, to, 0, 1, full)
                : filter == Resample.NEAREST ? nearest(full, out, from, to, 0, 1, full)
                : pillow(filter, full, out, from, to, 0, 1, full);
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (int i = 0; i < to - from; i++) {
            if (t.count[i] > 0) {
                lo = Math.min(lo, t.first[i]);
                hi = Math.max(hi, t.first[i] + t.count[i]);
            }
        }
        return lo >= hi ? new int[] {0, Math.min(full, 1)} : new int[] {lo, hi};
    }

    static AxisTaps of(Resample filter, boolean alignCorners, int full, int out, int from, int to, int offset,
            int period, int length) {
        if (alignCorners) {
            return alignCorners(full, out, from, to, offset, period, length);
        }
        if (filter == Resample.NEAREST) {
            return nearest(full, out, from, to, offset, period, length);
        }
        return pillow(filter, full, out, from, to, offset, period, length);
    }

    /** Pillow's antialiasing filters: the kernel widens by the scale when shrinking. */
    static AxisTaps pillow(Resample filter, int full, int out, int from, int to, int offset, int period,
            int length) {
        double scale = (double) full / out;
        double filterscale = Math.max(scale, 1.0);
        double support = filter.support() * filterscale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        if (period > 1) {
            // in decoded pixels: the kernel is narrower by the period
            double s = scale / period;
            double fs = Math.max(s, 1.0);
            stride = (int) Math.ceil(filter.support() * fs) * 2 + 1;
        }
        int n = to - from;
        int[] first = new int[n];
        int[] count = new int[n];
        double[] weights = new double[n * stride];
        for (int i = 0; i < n; i++) {
            int xx = from + i;
            double center;
            double ss;
            double sup;
            int xmin;
            int xmax;
            if (period == 1) {
                center = (xx + 0.5) * scale;
                ss = 1.0 / filterscale;
                sup = support;
                xmin = Math.max((int) (center - sup + 0.5), 0);
                xmax = Math.min((int) (center + sup + 0.5), full) - xmin;
                // weights from Pillow's own coordinates; then moved into the decoded region
                fill(filter, weights, i * stride, xmin, xmax, center, ss);
                int lo = xmin - offset;
                clampInto(weights, i * stride, first, count, i, lo, xmax, length);
            } else {
                double s = scale / period;
                double fs = Math.max(s, 1.0);
                center = ((xx + 0.5) * scale - offset - 0.5) / period + 0.5;
                ss = 1.0 / fs;
                sup = filter.support() * fs;
                xmin = Math.max((int) (center - sup + 0.5), 0);
                xmax = Math.min((int) (center + sup + 0.5), length) - xmin;
                fill(filter, weights, i * stride, xmin, xmax, center, ss);
                first[i] = xmin;
                count[i] = Math.max(xmax, 0);
            }
        }
        return new AxisTaps(from, to, first, count, weights, stride);
    }

    private static void fill(Resample filter, double[] k, int at, int xmin, int xmax, double center, double ss) {
        double ww = 0.0;
        for (int x = 0; x < xmax; x++) {
            double w = filter.kernel((x + xmin - center + 0.5) * ss);
            k[at + x] = w;
            ww += w;
        }
        for (int x = 0; x < xmax; x++) {
            if (ww != 0.0) {
                k[at + x] /= ww;
            }
        }
    }

    /**
     * Sets output {@code i}'s taps to inputs {@code [lo, lo + n)} of the decoded pixels; taps outside
     * them (a region cut too tight, which the planner never asks for) are dropped and the rest renormalised.
     */
    private static void clampInto(double[] k, int at, int[] first, int[] count, int i, int lo, int n, int length) {
        int start = Math.max(lo, 0);
        int end = Math.min(lo + n, length);
        if (start == lo && end == lo + n) {
            first[i] = lo;
            count[i] = Math.max(n, 0);
            return;
        }
        double sum = 0;
        for (int x = start; x < end; x++) {
            sum += k[at + x - lo];
        }
        for (int x = start; x < end; x++) {
            k[at + x - start] = sum != 0 ? k[at + x - lo] / sum : k[at + x - lo];
        }
        first[i] = start;
        count[i] = Math.max(end - start, 0);
    }

    /**
     * Point-sampled linear interpolation with the corner pixels aligned, as TensorFlow's
     * {@code resize_bilinear(align_corners=True)}: output {@code i} reads upright position {@code i *
     * (full - 1) / (out - 1)} between its two neighbours. Two taps, weights {@code 1 - f} and {@code f}.
     */
    static AxisTaps alignCorners(int full, int out, int from, int to, int offset, int period, int length) {
        double scale = out > 1 ? (double) (full - 1) / (out - 1) : (double) full / out;
        int n = to - from;
        int[] first = new int[n];
        int[] count = new int[n];
        double[] weights = new double[n * 2];
        for (int i = 0; i < n; i++) {
            double src = scale * (from + i);
            double pos = period == 1 ? src - offset : (src - offset) / period;
            double lo = Math.max(0, Math.floor(pos));
            double frac = pos - lo;
            int floor = (int) Math.min(lo, length - 1);
            int ceil = (int) Math.min(length - 1, Math.ceil(pos));
            first[i] = floor;
            if (ceil == floor) {
                count[i] = 1;
                weights[i * 2] = 1.0;
            } else {
                count[i] = 2;
                weights[i * 2] = 1.0 - frac;
                weights[i * 2 + 1] = frac;
            }
        }
        return new AxisTaps(from, to, first, count, weights, 2);
    }

    /** Pillow's nearest: output {@code i} takes upright pixel {@code floor((i + 0.5) * full / out)}. */
    static AxisTaps nearest(int full, int out, int from, int to, int offset, int period, int length) {
        double scale = (double) full / out;
        int n = to - from;
        int[] first = new int[n];
        int[] count = new int[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            int src = Math.min((int) ((from + i + 0.5) * scale), full - 1);
            int j = (int) Math.round((double) (src - offset) / period);
            first[i] = Math.max(0, Math.min(length - 1, j));
            count[i] = 1;
            weights[i] = 1.0;
        }
        return new AxisTaps(from, to, first, count, weights, 1);
    }

    /** The taps as Pillow's 8-bit fixed point: weights times 2^22, rounded half away from zero. */
    int[] fixedPoint() {
        int[] k = new int[weights.length];
        for (int x = 0; x < weights.length; x++) {
            double w = weights[x];
            k[x] = w < 0 ? (int) (-0.5 + w * (1 << Resizer.PRECISION_BITS))
                    : (int) (0.5 + w * (1 << Resizer.PRECISION_BITS));
        }
        return k;
    }
}
