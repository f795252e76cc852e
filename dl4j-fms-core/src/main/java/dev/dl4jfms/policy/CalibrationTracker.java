package dev.dl4jfms.policy;

import dev.dl4jfms.forecast.Forecast;

/**
 * Held-out calibration of a forecaster (spec section 7): each new observation is scored against the forecast made
 * before it was added, by Gaussian log-likelihood and by whether it fell in the central 90% interval.
 */
public final class CalibrationTracker {

    private static final double Z90 = 1.6448536269514722;
    private static final double MIN_STD = 1e-6;

    private int count;
    private double sumLogLikelihood;
    private int covered;

    /** Scores one observation {@code y} against the forecast made without it. */
    public void add(Forecast f, double y) {
        if (!Double.isFinite(y) || !Double.isFinite(f.mean()) || !Double.isFinite(f.std())) {
            return;
        }
        double s = Math.max(MIN_STD, f.std());
        double z = (y - f.mean()) / s;
        sumLogLikelihood += logLikelihood(f, y);
        covered += Math.abs(z) <= Z90 ? 1 : 0;
        count++;
    }

    /**
     * Gaussian log-density of {@code y} under forecast {@code f} (std floored at 1e-6), or NaN when y, the mean or
     * the std is not finite.
     */
    public static double logLikelihood(Forecast f, double y) {
        if (!Double.isFinite(y) || !Double.isFinite(f.mean()) || !Double.isFinite(f.std())) {
            return Double.NaN;
        }
        double s = Math.max(MIN_STD, f.std());
        double z = (y - f.mean()) / s;
        return -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
    }

    public int count() {
        return count;
    }

    /** Mean held-out log-likelihood per observation (NaN before any). */
    public double meanLogLikelihood() {
        return count == 0 ? Double.NaN : sumLogLikelihood / count;
    }

    /** Fraction of observations inside the forecast's 90% interval (NaN before any). */
    public double coverage90() {
        return count == 0 ? Double.NaN : covered / (double) count;
    }
}
