package dev.dl4jfms.listeners.segment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one trained epoch produced.
 *
 * @param epoch              the number of epochs the model has completed after this one (1-based)
 * @param trainLoss          mean of the per-iteration training scores of the epoch
 * @param validationLoss     mean validation loss per example, NaN when there is no validation data
 * @param validationAccuracy validation accuracy, NaN when not computed
 * @param seconds            wall time of the epoch (training + validation)
 * @param checkpointId       id of the stored checkpoint, or null when none was stored
 */
public record EpochMetrics(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                           double seconds, Long checkpointId) {

    /** Key of {@link #trainLoss} in stored checkpoint metrics. */
    public static final String TRAIN_LOSS = "train_loss";
    /** Key of {@link #seconds} in stored checkpoint metrics. */
    public static final String SECONDS = "seconds";

    /** The value of {@code metric}. */
    public double value(ValidationMetric metric) {
        return metric == ValidationMetric.ACCURACY ? validationAccuracy : validationLoss;
    }

    /** The metrics as stored with a checkpoint (NaN values are left out). */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, TRAIN_LOSS, trainLoss);
        put(m, ValidationMetric.LOSS.key(), validationLoss);
        put(m, ValidationMetric.ACCURACY.key(), validationAccuracy);
        put(m, SECONDS, seconds);
        return m;
    }

    private static void put(Map<String, Double> m, String key, double value) {
        if (!Double.isNaN(value)) {
            m.put(key, value);
        }
    }

    EpochMetrics withCheckpoint(Long id) {
        return new EpochMetrics(epoch, trainLoss, validationLoss, validationAccuracy, seconds, id);
    }
}
