package dev.dl4jfms.examples.bench;

/**
 * Mean and standard error (sample standard deviation / sqrt(n)) of a sample; NaN mean when empty, NaN standard error
 * when n &lt; 2.
 */
public record SampleStats(double mean, double standardError, int n) {

    /** Statistics of the finite values in {@code values} (NaN entries are ignored). */
    public static SampleStats of(double[] values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) {
            return new SampleStats(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        if (n < 2) {
            return new SampleStats(mean, Double.NaN, 1);
        }
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new SampleStats(mean, Math.sqrt(ss / (n - 1)) / Math.sqrt(n), n);
    }

    public boolean isEmpty() {
        return n == 0;
    }
}
