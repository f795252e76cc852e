package dev.dl4jfms.graph;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of one layer, detached from any training network.
 *
 * @param index      position in topological order (0-based), used as the "layer index" feature
 * @param name       the layer or vertex name
 * @param layerClass the DL4J layer class simple name (for logs and fallbacks)
 * @param kind       what the embedders know about it
 * @param params     parameter arrays keyed by DL4J's parameter key ("W", "b", "gamma", "beta", ...)
 */
public record LayerWeights(int index, String name, String layerClass, LayerKind kind, Map<String, INDArray> params) {
    public LayerWeights {
        params = Map.copyOf(params);
    }
}
