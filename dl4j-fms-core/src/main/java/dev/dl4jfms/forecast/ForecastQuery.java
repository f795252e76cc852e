package dev.dl4jfms.forecast;

/** A point to forecast: configuration {@code config} at {@code epoch}, knowing its curve and latest weights. */
public record ForecastQuery(double[] config, int epoch, int maxEpochs, double[] curvePrefix, String weightsKey) {
    public ForecastQuery {
        validate(config, epoch, maxEpochs, curvePrefix);
        config = config.clone();
        curvePrefix = curvePrefix.clone();
    }

    /** Queries are values: equal when every component is, arrays compared by content (so they can key caches). */
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
        return other instanceof ForecastQuery q && epoch == q.epoch && maxEpochs == q.maxEpochs
                && java.util.Objects.equals(weightsKey, q.weightsKey) && java.util.Arrays.equals(config, q.config)
                && java.util.Arrays.equals(curvePrefix, q.curvePrefix);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(config), epoch, maxEpochs,
                java.util.Arrays.hashCode(curvePrefix), weightsKey);
    }

    static void validate(double[] config, int epoch, int maxEpochs, double[] curvePrefix) {
        if (config == null || curvePrefix == null) {
            throw new IllegalArgumentException("config and curvePrefix are required (use an empty prefix)");
        }
        if (maxEpochs < 1 || epoch < 1) {
            throw new IllegalArgumentException("epoch and maxEpochs must be >= 1, got " + epoch + "/" + maxEpochs);
        }
    }
}
