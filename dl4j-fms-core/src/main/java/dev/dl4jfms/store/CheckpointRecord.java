package dev.dl4jfms.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A stored checkpoint. {@code blobPath}, {@code sha256} and {@code dataType} are null and {@code byteSize} is 0
 * when only metrics were recorded. {@code metrics} holds any named values (train loss, validation accuracy,
 * seconds, ...).
 */
public record CheckpointRecord(long id, long trialId, int epoch, long iteration, Map<String, Double> metrics,
                               Path blobPath, long byteSize, String dataType, String sha256, Instant created) {

    public boolean hasWeights() {
        return blobPath != null;
    }

    /** The value of {@code metric}, or NaN when absent. */
    public double metric(String metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }
}
