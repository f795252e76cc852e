package dev.dl4jfms.listeners.segment;

/**
 * Told about every epoch a {@link SegmentTrainer} completes (on the training thread); may stop the segment.
 * Implementations shared between training threads must be thread-safe.
 */
@FunctionalInterface
public interface EpochObserver {

    /**
     * @param trialId the trial being trained
     * @param metrics the epoch just completed (its checkpoint, if any, is already stored)
     * @return null to continue, or a human-readable reason to end the segment now with
     *         {@link SegmentStatus#STOPPED}
     */
    String afterEpoch(long trialId, EpochMetrics metrics);
}
