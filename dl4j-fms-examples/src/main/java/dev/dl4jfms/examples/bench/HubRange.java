package dev.dl4jfms.examples.bench;

/**
 * The best and worst validation values of a hub over all configurations and all epochs, which anchor normalized
 * regret: (best − incumbent) / (best − worst). The formula holds for both directions: when lower is better, best &lt;
 * worst and numerator and denominator are both non-positive.
 */
public record HubRange(double best, double worst, boolean maximize) {

    public HubRange {
        if (!Double.isFinite(best) || !Double.isFinite(worst)) {
            throw new IllegalArgumentException("hub best/worst must be finite, got " + best + " / " + worst);
        }
        if (maximize ? !(best > worst) : !(best < worst)) {
            throw new IllegalArgumentException("hub range is degenerate or reversed: best=" + best + ", worst=" + worst
                    + (maximize ? " (higher is better)" : " (lower is better)"));
        }
    }

    /** Range of all finite values (NaN/Inf from diverged epochs are ignored). */
    public static HubRange of(double[] validationValues, boolean maximize) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : validationValues) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("hub has no finite validation value");
        }
        return maximize ? new HubRange(hi, lo, true) : new HubRange(lo, hi, false);
    }

    /**
     * Normalized regret in [0, 1]; 1 when there is no incumbent yet (NaN).
     *
     * @throws IllegalArgumentException when the incumbent lies outside the hub's range (beyond round-off), which
     *                                  means trajectory and hub do not belong together
     */
    public double normalizedRegret(double incumbent) {
        if (Double.isNaN(incumbent)) {
            return 1.0;
        }
        double r = (best - incumbent) / (best - worst);
        if (r < -1e-9 || r > 1 + 1e-9) {
            throw new IllegalArgumentException("incumbent " + incumbent + " is outside the hub's validation range [best="
                    + best + ", worst=" + worst + "]; is the trajectory from this hub?");
        }
        return Math.min(1.0, Math.max(0.0, r));
    }

    /** Whether {@code a} is strictly better than {@code b} in this hub's direction (NaN is never better). */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return maximize ? a > b : a < b;
    }
}
