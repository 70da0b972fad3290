package ai.infinium.connector.bench;

import java.util.Arrays;

/** Nearest-rank percentiles, as bench/hook-bench.sh computes them. */
final class Stats {
    private Stats() {}

    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static double p50(double[] values) {
        return percentile(values, 0.50);
    }

    static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double min(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).max().orElse(Double.NaN);
    }
}
