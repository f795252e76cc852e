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

    /**
     * Rows are values: equal when every component is, arrays compared by content (a record compares array
     * references), so that a forecaster can tell which of the rows it is given it has seen before.
     */
    /** The configuration vector (a copy: the record's arrays take part in equality and hashing). */
    @Override
    public double[] config() {
        return config.clone();
    }

    /** The curve prefix (a copy: the record's arrays take part in equality and hashing). */
    @Override
    public double[] curvePrefix() {
        return curvePrefix.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CurveObservation o && epoch == o.epoch && maxEpochs == o.maxEpochs
                && Double.compare(value, o.value) == 0 && java.util.Objects.equals(weightsKey, o.weightsKey)
                && java.util.Arrays.equals(config, o.config) && java.util.Arrays.equals(curvePrefix, o.curvePrefix);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(config), epoch, maxEpochs,
                java.util.Arrays.hashCode(curvePrefix), weightsKey, value);
    }

    /** The same row without its target. */
    public ForecastQuery query() {
        return new ForecastQuery(config, epoch, maxEpochs, curvePrefix, weightsKey);
    }
}
