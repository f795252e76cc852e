package dev.dl4jfms.forecast;

/**
 * One training row of the forecaster: configuration {@code i} observed at {@code epoch} (1-based).
 *
 * @param config      the configuration's unit-cube vector
 * @param epoch       the epoch whose value is {@code value} (1..maxEpochs)
 * @param maxEpochs   B_max, for the budget feature epoch / maxEpochs
 * @param curvePrefix values observed at epochs 1..epoch-1 (what was known before this epoch); may be empty
 * @param weightsKey  key of the checkpoint that existed before this epoch (initial/pretrained weights for epoch 1),
 *                    or null when no weights are known
 * @param value       the observed value, normalised so that higher is better
 */
public record CurveObservation(double[] config, int epoch, int maxEpochs, double[] curvePrefix, String weightsKey,
                               double value) {
    public CurveObservation {
        ForecastQuery.validate(config, epoch, maxEpochs, curvePrefix);
        config = config.clone();
        curvePrefix = curvePrefix.clone();
    }

    /** The same row without its target. */
    public ForecastQuery query() {
        return new ForecastQuery(config, epoch, maxEpochs, curvePrefix, weightsKey);
    }
}
