package dev.dl4jfms.gp;

import dev.dl4jfms.forecast.ForecastFailedException;

/**
 * The GP could not be evaluated: the kernel matrix stayed non positive definite after all jitter retries, or a
 * loss / gradient became NaN or infinite. The forecaster catches it during a fit, restores its previous state and
 * cold-starts; one that escapes (e.g. from a prediction) is a {@link ForecastFailedException}, so a policy may fall
 * back.
 */
public class GpNumericalException extends ForecastFailedException {
    private static final long serialVersionUID = 1L;

    public GpNumericalException(String message) {
        super(message);
    }

    public GpNumericalException(String message, Throwable cause) {
        super(message, cause);
    }
}
