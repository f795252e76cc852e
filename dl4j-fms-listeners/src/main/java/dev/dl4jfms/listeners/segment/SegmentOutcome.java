package dev.dl4jfms.listeners.segment;

import java.util.List;
import java.util.Objects;

/**
 * The result of one training segment.
 *
 * @param trialId       the trial that was trained
 * @param status        how the segment ended
 * @param message       reason or error message; null when {@link SegmentStatus#COMPLETED}
 * @param epochs        metrics of each epoch trained in this segment, in order
 * @param startEpoch    the model's completed-epoch count before the segment
 * @param endEpoch      the model's completed-epoch count after the segment
 * @param totalSeconds  wall time of the whole segment, restoring and checkpointing included
 */
public record SegmentOutcome(long trialId, SegmentStatus status, String message, List<EpochMetrics> epochs,
                             int startEpoch, int endEpoch, double totalSeconds) {

    public SegmentOutcome {
        Objects.requireNonNull(status, "status");
        epochs = List.copyOf(epochs);
    }

    /** Number of epochs trained in this segment (what the budget is charged). */
    public int epochsTrained() {
        return epochs.size();
    }

    /** Ids of the checkpoints stored by this segment, in epoch order. */
    public List<Long> checkpointIds() {
        return epochs.stream().map(EpochMetrics::checkpointId).filter(Objects::nonNull).toList();
    }

    /** The last epoch's metrics, or null when no epoch completed. */
    public EpochMetrics last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }
}
