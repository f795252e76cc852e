package dev.dl4jfms.examples.bench;

/** Kendall's rank correlation τ-b (corrects for ties in either ranking), from commons-math3, NaN-tolerant. */
public final class KendallTau {

    private KendallTau() {
    }

    /**
     * τ-b = (C − D) / sqrt((C + D + Tx)(C + D + Ty)) where C, D count concordant and discordant pairs, Tx pairs tied
     * only in {@code x}, Ty pairs tied only in {@code y}; pairs tied in both count nowhere. Indices where either value
     * is NaN are dropped.
     *
     * @return τ-b in [−1, 1], or NaN when fewer than two usable points remain or one ranking is constant
     */
    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("Kendall tau needs two rankings of equal length, got " + x.length
                    + " and " + y.length);
        }
        int n = 0;
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                a[n] = x[i];
                b[n] = y[i];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        // commons-math3 computes τ-b (ties corrected) in O(n log n); a constant ranking gives 0/0 = NaN
        return new org.apache.commons.math3.stat.correlation.KendallsCorrelation()
                .correlation(java.util.Arrays.copyOf(a, n), java.util.Arrays.copyOf(b, n));
    }
}
