package dev.dl4jfms.forecast;

import java.util.List;

/**
 * Forecasts learning-curve values with uncertainty. The deep-kernel GP is the main implementation; policies only
 * see this interface.
 */
public interface Forecaster {

    /** (Re)fits on all observations so far; implementations may warm-start from the previous fit. */
    void fit(List<CurveObservation> observations);

    /** Predictive mean and standard deviation for each query, in order. Requires a previous {@link #fit}. */
    List<Forecast> predict(List<ForecastQuery> queries);
}
