package dev.dl4jfms.forecast;

/** A predictive distribution: Gaussian with this mean and standard deviation (higher is better). */
public record Forecast(double mean, double std) {
    /** Upper confidence bound {@code mean + kappa * std}. */
    public double upper(double kappa) {
        return mean + kappa * std;
    }
}
