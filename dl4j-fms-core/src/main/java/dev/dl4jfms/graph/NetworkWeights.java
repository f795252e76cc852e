package dev.dl4jfms.graph;

import java.util.List;

/**
 * The weights of one network as an ordered list of layers, detached from any training network. Factories from
 * DL4J models and snapshots live in {@code NetworkWeightsFactory}.
 *
 * @param layers                layers in topological order
 * @param architectureSignature equal for networks with identical layer kinds and parameter shapes
 */
public record NetworkWeights(List<LayerWeights> layers, String architectureSignature) {
    public NetworkWeights {
        layers = List.copyOf(layers);
    }
}
