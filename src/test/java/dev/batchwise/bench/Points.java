package dev.batchwise.bench;

import java.util.Map;

/** Synthetic points for tests of choosing and output. */
final class Points {

    private Points() {}

    static PointResult point(int batch, int clients, double throughput, double p99Ms) {
        return point(new Setting(1, batch, 0, new Load.Clients(clients)), throughput, p99Ms, true);
    }

    static PointResult point(Setting s, double throughput, double p99Ms, boolean stable) {
        return new PointResult(s, throughput, p99Ms / 2, p99Ms * 0.8, p99Ms * 0.9, p99Ms, p99Ms * 1.2,
                p99Ms / 4, p99Ms / 2, p99Ms / 4, p99Ms / 3, s.maxBatchSize() * 0.9,
                s.maxBatchSize() == 1 ? Map.of(1, 100L) : Map.of(s.maxBatchSize(), 90L, 1, 10L), 0.05, 0.8, stable, 3, (long) (throughput * 3), 0,
                java.util.List.of());
    }
}
