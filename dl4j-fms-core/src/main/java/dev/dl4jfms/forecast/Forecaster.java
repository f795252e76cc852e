package dev.dl4jfms.forecast;

import java.util.List;

/**
 * Forecasts learning-curve values with uncertainty. The deep-kernel GP is the main implementation; policies only
 * see this interface.
 */
public interface Forecaster {

    /** (Re)fits on all observations so far; implementations may warm-start from the previous fit. */
    void fit(List<CurveObservation> observations);

    /**
     * Conditions the current fit on all observations so far without learning its parameters again (for a GP: the
     * posterior given the new rows, hyperparameters and features unchanged) — the cheap update between full refits.
     * The default refits.
     */
    default void condition(List<CurveObservation> observations) {
        fit(observations);
    }

    /** Predictive mean and standard deviation for each query, in order. Requires a previous {@link #fit}. */
    List<Forecast> predict(List<ForecastQuery> queries);

    /**
     * For a forecaster that chooses among several (e.g. a transferred and a cold one): a short name of the one whose
     * forecasts {@link #predict} returns now, which policies journal when it changes; null (default) for a single
     * forecaster.
     */
    default String activeVariant() {
        return null;
    }
}
