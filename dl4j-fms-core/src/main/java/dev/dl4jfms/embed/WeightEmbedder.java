package dev.dl4jfms.embed;

import dev.dl4jfms.graph.NetworkWeights;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Maps the weights of trained networks to fixed-size vectors that the forecaster uses as input features.
 * Implementations are pure ND4J math: they know nothing about training loops or stores.
 */
public interface WeightEmbedder {

    /** Length of one embedding. */
    int dimension();

    /** Embeddings of {@code networks}, one row each: shape [networks.size(), dimension()]. */
    INDArray embed(List<NetworkWeights> networks);
}
