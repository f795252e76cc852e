package dev.dl4jfms.study;

/**
 * One entry of a {@link CandidatePool}: a unit-cube configuration, optionally paired with the checkpoint to start
 * (fine-tune) from.
 *
 * @param index             position in the pool
 * @param configIndex       which drawn unit-cube point this is (equal to {@code index} without crossing)
 * @param unitVector        the point in [0,1]^d
 * @param startCheckpointId the pretrained checkpoint to fine-tune, or null for freshly initialised weights
 */
public record PoolCandidate(int index, int configIndex, double[] unitVector, Long startCheckpointId) {
    public PoolCandidate {
        unitVector = unitVector.clone();
    }

    @Override
    public double[] unitVector() {
        return unitVector.clone();
    }
}
