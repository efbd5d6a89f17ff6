package dev.batchwise.bench;

import java.util.List;

/**
 * When a point's measurements can be trusted: the 95% confidence interval of its mean per-window
 * throughput is narrower than {@link #TOLERANCE} of that mean on either side, and, when latency
 * counts, so is the interval of its mean per-window p99. A noisy point is not rejected for its noise:
 * more windows narrow the interval (as 1/&radic;n), so the sweep measures it longer, within its budget
 * (see {@link Sweep}); a point that drifts does not settle, because its spread grows with its windows.
 * Intervals of p99 narrower than {@link #LATENCY_FLOOR_MICROS} on either side always pass: below
 * that, a ratio measures timer and scheduler noise, not the system. Windows are taken as independent
 * samples (Student's t); the sweep's interleaved visits make that closer to true under drifting load.
 */
public final class Stability {

    /** The fewest windows an interval is computed from. */
    public static final int WINDOWS = 3;
    /** How wide the interval may be on either side, relative to the mean: 5%. */
    public static final double TOLERANCE = 0.05;
    /** Half-widths of the p99 interval below this always pass. */
    public static final long LATENCY_FLOOR_MICROS = 1_000;

    /** Student's t at 0.975 for 1 to 30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * A mean with its 95% confidence interval, {@code mean ± halfWidth}, from {@code n} samples.
     * {@code halfWidth} is infinite for fewer than 2 samples.
     */
    public record Estimate(double mean, double halfWidth, int n) {
        /** The half-width relative to the mean; infinite when the mean is 0. */
        public double relative() {
            return mean == 0 ? Double.POSITIVE_INFINITY : halfWidth / Math.abs(mean);
        }

        /** The standard error of the mean. */
        public double standardError() {
            return n < 2 ? Double.POSITIVE_INFINITY : halfWidth / t975(n - 1);
        }
    }

    private Stability() {}

    /** Whether {@code windows} give narrow enough intervals, throughput and p99; false with fewer than {@link #WINDOWS}. */
    public static boolean stable(List<Window> windows) {
        return stable(windows, true);
    }

    /**
     * Whether {@code windows} give narrow enough intervals: of throughput, and of p99 when
     * {@code latencyCounts} (an offline job asks only for throughput). False with fewer than
     * {@link #WINDOWS} windows, or with an empty one.
     */
    public static boolean stable(List<Window> windows, boolean latencyCounts) {
        if (windows.size() < WINDOWS || windows.stream().anyMatch(w -> w.records() == 0)) {
            return false;
        }
        if (throughput(windows).relative() > TOLERANCE) {
            return false;
        }
        if (!latencyCounts) {
            return true;
        }
        Estimate p99 = estimate(windows.stream().mapToDouble(Window::p99Micros).toArray());
        return p99.halfWidth() < LATENCY_FLOOR_MICROS || p99.relative() <= TOLERANCE;
    }

    /** The mean per-window throughput (records/s) and its interval. */
    public static Estimate throughput(List<Window> windows) {
        return estimate(windows.stream().mapToDouble(Window::throughputPerSecond).toArray());
    }

    /** The mean of {@code xs} and its 95% interval (Student's t). */
    public static Estimate estimate(double[] xs) {
        int n = xs.length;
        if (n == 0) {
            return new Estimate(0, Double.POSITIVE_INFINITY, 0);
        }
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Estimate(mean, Double.POSITIVE_INFINITY, 1);
        }
        double squares = 0;
        for (double x : xs) {
            squares += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        return new Estimate(mean, t975(n - 1) * sd / Math.sqrt(n), n);
    }

    /** Student's t at 0.975 for {@code df} degrees of freedom; past 30, a close approximation. */
    static double t975(int df) {
        return df <= T975.length ? T975[df - 1] : 1.960 + 2.4 / df;
    }

    /**
     * How likely the point estimated by {@code a} truly beats the one estimated by {@code b}, under a
     * normal approximation of the difference of their means (Welch): 0.5 when they cannot be told apart.
     */
    public static double confidenceAbove(Estimate a, Estimate b) {
        double se = Math.sqrt(square(a.standardError()) + square(b.standardError()));
        if (Double.isInfinite(se) || Double.isNaN(se)) {
            return 0.5;
        }
        if (se == 0) {
            return a.mean() > b.mean() ? 1 : a.mean() < b.mean() ? 0 : 0.5;
        }
        return normalCdf((a.mean() - b.mean()) / se);
    }

    private static double square(double x) {
        return x * x;
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
