package dev.dl4jfms.forecast;

/** A point to forecast: configuration {@code config} at {@code epoch}, knowing its curve and latest weights. */
public record ForecastQuery(double[] config, int epoch, int maxEpochs, double[] curvePrefix, String weightsKey) {
    public ForecastQuery {
        validate(config, epoch, maxEpochs, curvePrefix);
        config = config.clone();
        curvePrefix = curvePrefix.clone();
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
