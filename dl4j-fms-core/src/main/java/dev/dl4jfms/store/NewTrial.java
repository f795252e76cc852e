package dev.dl4jfms.store;

/**
 * What is known about a trial when it is created.
 *
 * @param configJson            the configuration (hyperparameters or the DL4J configuration) as JSON; required
 * @param unitVector            its point in Arbiter's unit cube when drawn from a {@code ParameterSpace}, else null
 * @param architectureSignature a string equal for networks with identical parameter shapes/layer types, or null
 * @param startCheckpointId     the checkpoint this trial was started (fine-tuned) from, or null
 * @param label                 a short human-readable name, or null
 */
public record NewTrial(String configJson, double[] unitVector, String architectureSignature,
                       Long startCheckpointId, String label) {
    public NewTrial {
        if (configJson == null) {
            throw new IllegalArgumentException("configJson is required");
        }
        unitVector = unitVector == null ? null : unitVector.clone();
    }
}
