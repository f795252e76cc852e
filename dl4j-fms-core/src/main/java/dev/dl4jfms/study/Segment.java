package dev.dl4jfms.study;

/**
 * One unit of work handed out by {@link Study#ask()}: train trial {@code trialId} (pool candidate
 * {@code poolIndex}) from epoch {@code fromEpoch} to {@code toEpoch} and report with {@link Study#tell}.
 * Self-contained and executor-agnostic: live DL4J training, a user's loop and a benchmark-hub replay all read the
 * same fields.
 *
 * @param segmentId              unique id of this segment within the study (the journal event id when stored)
 * @param trialId                the store's trial id (a study-local counter in memory-only studies)
 * @param poolIndex              index into the study's {@link CandidatePool}
 * @param unitVector             the configuration's unit-cube point (map it with {@link CandidatePool#value})
 * @param pretrainedCheckpointId the model to fine-tune when the trial starts (epoch 0), or null for fresh weights
 * @param resumeCheckpointId     the trial's own checkpoint to resume from (weights + updater at {@code fromEpoch}),
 *                               null when {@code fromEpoch == 0} or when the executor stored no weights
 * @param resumeWeightsKey       the weights key of the state at {@code fromEpoch} (see {@link WeightsKeys})
 * @param fromEpoch              epochs already trained (0 for a new trial)
 * @param toEpoch                epoch count to reach; {@code toEpoch - fromEpoch} epochs are granted and charged
 */
public record Segment(long segmentId, long trialId, int poolIndex, double[] unitVector, Long pretrainedCheckpointId,
                      Long resumeCheckpointId, String resumeWeightsKey, int fromEpoch, int toEpoch) {

    public Segment {
        if (fromEpoch < 0 || toEpoch <= fromEpoch) {
            throw new IllegalArgumentException("segment must train at least one epoch: from " + fromEpoch
                    + " to " + toEpoch);
        }
        unitVector = unitVector.clone();
    }

    /** Number of epochs granted. */
    public int epochs() {
        return toEpoch - fromEpoch;
    }

    @Override
    public double[] unitVector() {
        return unitVector.clone();
    }
}
