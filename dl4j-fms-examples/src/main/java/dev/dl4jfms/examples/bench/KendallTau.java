package dev.dl4jfms.examples.bench;

/**
 * Kendall's rank correlation τ-b, which corrects for ties in either ranking. O(n²) pair counting: the rankings
 * compared here (forecast vs. true final value over one configuration pool) have at most a few thousand entries.
 */
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
        long concordant = 0;
        long discordant = 0;
        long tiedXOnly = 0;
        long tiedYOnly = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            for (int j = i + 1; j < x.length; j++) {
                if (Double.isNaN(x[j]) || Double.isNaN(y[j])) {
                    continue;
                }
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0 && sy == 0) {
                    continue;
                } else if (sx == 0) {
                    tiedXOnly++;
                } else if (sy == 0) {
                    tiedYOnly++;
                } else if (sx == sy) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double denominator = Math.sqrt((double) (concordant + discordant + tiedXOnly)
                * (double) (concordant + discordant + tiedYOnly));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }
}
