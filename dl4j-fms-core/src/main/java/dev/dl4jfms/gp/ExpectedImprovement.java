package dev.dl4jfms.gp;

/**
 * Expected improvement for maximisation (spec section 5): {@code u = (μ - y*)/σ},
 * {@code EI = (μ - y*) Φ(u) + σ φ(u)}, and {@code EI = 0} when {@code σ = 0} (as the spec says, rather than
 * the limit {@code max(μ - y*, 0)}).
 */
public final class ExpectedImprovement {
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    private ExpectedImprovement() {
    }

    /**
     * @param mean      predictive mean μ
     * @param std       predictive standard deviation σ ≥ 0
     * @param incumbent the incumbent y* at the candidate's budget
     */
    public static double of(double mean, double std, double incumbent) {
        if (!(std >= 0) || Double.isNaN(mean) || Double.isNaN(incumbent)) {
            throw new IllegalArgumentException("EI needs finite mean/incumbent and std >= 0, got mean=" + mean
                    + " std=" + std + " incumbent=" + incumbent);
        }
        if (std == 0) {
            return 0.0;
        }
        double improvement = mean - incumbent;
        double u = improvement / std;
        return improvement * normalCdf(u) + std * INV_SQRT_2PI * Math.exp(-0.5 * u * u);
    }

    /** Standard normal CDF via the complementary error function (|error| < 1.2e-7). */
    static double normalCdf(double u) {
        return 0.5 * erfc(-u / Math.sqrt(2));
    }

    /** Complementary error function, Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
