package dev.dl4jfms.examples.report;

import java.util.OptionalLong;

/**
 * Return-on-investment figures of a study.
 *
 * @param epochsSpent        epochs the search trained in total
 * @param poolSize           configurations in the pool
 * @param maxEpochs          B_max, the epochs of one full training
 * @param randomSearchEpochs epochs random search needed on the same pool to reach the same incumbent value (e.g. from
 *                           a hub replay); empty when unknown
 * @param hyperbandEpochs    the same for Hyperband; empty when unknown
 */
public record RoiNumbers(long epochsSpent, int poolSize, int maxEpochs, OptionalLong randomSearchEpochs,
                         OptionalLong hyperbandEpochs) {

    public RoiNumbers {
        if (epochsSpent < 0 || poolSize < 0 || maxEpochs < 0) {
            throw new IllegalArgumentException("ROI numbers must be >= 0: spent=" + epochsSpent + ", pool=" + poolSize
                    + ", B_max=" + maxEpochs);
        }
        randomSearchEpochs = randomSearchEpochs == null ? OptionalLong.empty() : randomSearchEpochs;
        hyperbandEpochs = hyperbandEpochs == null ? OptionalLong.empty() : hyperbandEpochs;
    }

    /** Without baseline comparisons. */
    public static RoiNumbers of(long epochsSpent, int poolSize, int maxEpochs) {
        return new RoiNumbers(epochsSpent, poolSize, maxEpochs, OptionalLong.empty(), OptionalLong.empty());
    }

    /** Epochs that training every pool configuration to B_max would cost. */
    public long epochsFullPool() {
        return (long) poolSize * maxEpochs;
    }
}
