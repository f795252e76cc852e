package dev.dl4jfms.listeners.segment;

import java.util.Map;

/**
 * What one trained epoch produced.
 *
 * @param epoch           the number of epochs the model has completed after this one (1-based)
 * @param trainLoss       mean of the per-iteration training scores of the epoch
 * @param validationValue the segment's validation metric after this epoch; NaN without validation data
 * @param metrics         every value recorded for the epoch, by the names used in the store
 *                        ({@code train_loss}, {@code val_loss}, {@code val_accuracy}, {@code seconds}, ...)
 * @param seconds         wall time of the epoch: training, validation and checkpoint hand-off
 * @param checkpointId    id of the stored checkpoint, or null when the trainer has no store
 */
public record EpochMetrics(int epoch, double trainLoss, double validationValue, Map<String, Double> metrics,
                           double seconds, Long checkpointId) {

    public EpochMetrics {
        metrics = Map.copyOf(metrics);
    }

    /** A recorded value by name, NaN when absent. */
    public double metric(String key) {
        Double v = metrics.get(key);
        return v == null ? Double.NaN : v;
    }
}
