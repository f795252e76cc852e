package dev.dl4jfms.transfer;

import java.util.List;
import java.util.Map;

/**
 * One earlier study (or hub) to meta-train on: its trials with named hyperparameters and learning curves.
 *
 * @param name      where it came from (a store path and study name), recorded in the prior
 * @param maxEpochs the study's B_max
 * @param trials    its trials
 */
public record SourceTask(String name, int maxEpochs, List<Trial> trials) {

    public SourceTask {
        if (name == null || maxEpochs < 1 || trials == null) {
            throw new IllegalArgumentException("a source task needs a name, B_max >= 1 and trials");
        }
        trials = List.copyOf(trials);
    }

    /**
     * One trial.
     *
     * @param hyperparameters name → value as text
     * @param curve           validation values per epoch, normalised so that higher is better (NaN ends the curve)
     * @param weightsKeys     key of the weights before each epoch (entry j-1 for epoch j), or null without weights
     */
    public record Trial(Map<String, String> hyperparameters, double[] curve, String[] weightsKeys) {
        public Trial {
            if (hyperparameters == null || curve == null) {
                throw new IllegalArgumentException("a trial needs hyperparameters and a curve");
            }
            if (weightsKeys != null && weightsKeys.length < curve.length) {
                throw new IllegalArgumentException("a weights key is needed before every epoch of the curve");
            }
            hyperparameters = Map.copyOf(hyperparameters);
        }
    }
}
