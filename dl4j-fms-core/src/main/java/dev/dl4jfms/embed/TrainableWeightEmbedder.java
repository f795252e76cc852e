package dev.dl4jfms.embed;

import dev.dl4jfms.graph.NetworkWeights;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight embedder with learnable parameters, trained end to end with the forecaster: the forecaster asks for
 * the gradient of its loss with respect to the embedder's parameters given the gradient with respect to the
 * embeddings (chain rule), and updates {@link #parameters()} itself.
 */
public interface TrainableWeightEmbedder extends WeightEmbedder {

    /** The flat parameter vector (a copy), shape [1, numParameters()]. */
    INDArray parameters();

    /** Replaces all parameters; {@code flat} has shape [1, numParameters()]. */
    void setParameters(INDArray flat);

    long numParameters();

    /**
     * Gradient of a loss with respect to {@link #parameters()} given {@code dLossDEmbedding} (shape
     * [networks.size(), dimension()]) at the current parameters. Returns shape [1, numParameters()].
     */
    INDArray gradient(List<NetworkWeights> networks, INDArray dLossDEmbedding);

    /** Re-initialises the parameters from {@code seed} (cold start). */
    void reset(long seed);
}
