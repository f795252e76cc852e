package dev.dl4jfms.examples.bench;

/**
 * A method's forecast of every pool configuration's final validation value (at B_max), taken when
 * {@code budgetFraction} of the study budget was spent, next to the hub's true final values. Entries may be NaN
 * (dropped pairwise by {@link KendallTau}).
 */
public record ForecastSnapshot(double budgetFraction, double[] forecast, double[] trueFinal) {
    public ForecastSnapshot {
        if (!(budgetFraction > 0 && budgetFraction <= 1)) {
            throw new IllegalArgumentException("budget fraction must be in (0, 1], got " + budgetFraction);
        }
        if (forecast.length != trueFinal.length) {
            throw new IllegalArgumentException("forecast has " + forecast.length + " configurations but the truth has "
                    + trueFinal.length);
        }
        forecast = forecast.clone();
        trueFinal = trueFinal.clone();
    }

    /** Kendall τ-b between forecast and truth. */
    public double kendallTau() {
        return KendallTau.tauB(forecast, trueFinal);
    }
}
