package dev.dl4jfms.forecast;

/**
 * A {@link Forecaster} could not produce usable forecasts for a numerical reason: a kernel matrix that would not
 * factorise, a non-finite likelihood, gradient or prediction. A policy may answer it by handing its decisions to a
 * conventional fallback. Anything else a forecaster throws (a bug, unreadable weights, bad input) is not a verdict on
 * the forecaster's calibration and must propagate.
 */
public class ForecastFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForecastFailedException(String message) {
        super(message);
    }

    public ForecastFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
