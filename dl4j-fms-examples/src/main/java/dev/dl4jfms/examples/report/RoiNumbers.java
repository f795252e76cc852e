package dev.dl4jfms.examples.report;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Return-on-investment figures of a study.
 *
 * @param epochsSpent epochs the search trained in total
 * @param poolSize    configurations in the pool
 * @param maxEpochs   B_max, the epochs of one full training
 * @param baselines   other methods run on the same pool (e.g. from a hub replay), in display order; may be empty
 */
public record RoiNumbers(long epochsSpent, int poolSize, int maxEpochs, List<Baseline> baselines) {

    public RoiNumbers {
        if (epochsSpent < 0 || poolSize < 0 || maxEpochs < 0) {
            throw new IllegalArgumentException("ROI numbers must be >= 0: spent=" + epochsSpent + ", pool=" + poolSize
                    + ", B_max=" + maxEpochs);
        }
        baselines = List.copyOf(baselines);
    }

    /** Without baseline comparisons. */
    public static RoiNumbers of(long epochsSpent, int poolSize, int maxEpochs) {
        return new RoiNumbers(epochsSpent, poolSize, maxEpochs, List.of());
    }

    /** Epochs that training every pool configuration to B_max would cost. */
    public long epochsFullPool() {
        return (long) poolSize * maxEpochs;
    }

    /**
     * What a baseline method needed for the same result as the search.
     *
     * @param method       plain name, e.g. "Random search"
     * @param epochsNeeded epochs it needed to reach the search's best value (e.g. mean over seeds); empty when it did
     *                     not reach it within {@code budget}
     * @param budget       epochs the baseline was allowed
     */
    public record Baseline(String method, OptionalLong epochsNeeded, long budget) {
        public Baseline {
            Objects.requireNonNull(method, "baseline method");
            Objects.requireNonNull(epochsNeeded, "epochs needed (use OptionalLong.empty())");
            if (budget < 1) {
                throw new IllegalArgumentException("baseline budget must be >= 1, got " + budget);
            }
        }
    }
}
