package dev.dl4jfms.study;

import java.util.Map;

/**
 * What one trained epoch produced.
 *
 * @param epoch        the 1-based epoch number (epochs completed after it)
 * @param validation   the raw value of the study's validation metric (NaN/Inf when diverged)
 * @param test         the raw test metric, or null when not measured (recorded, never used for decisions)
 * @param trainLoss    the training loss, or null when unknown; NaN/Inf marks divergence
 * @param checkpointId the store checkpoint the executor already wrote for this epoch (weights and these
 *                     metrics, under the study's metric names), or null: the study then records a metrics-only
 *                     checkpoint itself
 * @param weightsKey   key of the weights after this epoch when they live outside the study's store (e.g. a hub),
 *                     or null to derive it from {@code checkpointId}
 * @param extraMetrics other named values to record (seconds, ...); may be null
 */
public record EpochResult(int epoch, double validation, Double test, Double trainLoss, Long checkpointId,
                          String weightsKey, Map<String, Double> extraMetrics) {

    public EpochResult {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
        extraMetrics = extraMetrics == null ? Map.of() : Map.copyOf(extraMetrics);
    }

    /** An epoch with only the validation value and train loss; the study records the checkpoint. */
    public static EpochResult of(int epoch, double validation, Double trainLoss) {
        return new EpochResult(epoch, validation, null, trainLoss, null, null, null);
    }

    /** True when the validation value or the train loss is NaN or infinite. */
    public boolean diverged() {
        return !Double.isFinite(validation) || (trainLoss != null && !Double.isFinite(trainLoss));
    }
}
