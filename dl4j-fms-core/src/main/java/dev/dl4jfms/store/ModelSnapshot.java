package dev.dl4jfms.store;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A self-contained copy of a DL4J model's state: enough to rebuild a ready network and resume training.
 * Arrays are detached copies (never live views of a training network).
 *
 * @param modelType      {@link ModelType#MULTI_LAYER_NETWORK} or {@link ModelType#COMPUTATION_GRAPH}
 * @param configJson     the network configuration JSON ({@code MultiLayerConfiguration.toJson()} /
 *                       {@code ComputationGraphConfiguration.toJson()})
 * @param params         flattened parameters, a row vector
 * @param updaterState   flattened updater state, or null when not saved
 * @param epochCount     the network's epoch counter (number of completed epochs)
 * @param iterationCount the network's iteration counter
 */
public record ModelSnapshot(ModelType modelType, String configJson, INDArray params, INDArray updaterState,
                            int epochCount, long iterationCount) {

    public enum ModelType { MULTI_LAYER_NETWORK, COMPUTATION_GRAPH }

    public ModelSnapshot {
        if (modelType == null || configJson == null || params == null) {
            throw new IllegalArgumentException("modelType, configJson and params are required");
        }
    }
}
