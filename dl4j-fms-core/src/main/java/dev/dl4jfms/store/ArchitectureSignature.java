package dev.dl4jfms.store;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A short string that is equal for networks with the same layer types and parameter shapes (in the same order),
 * and different otherwise. Used to find checkpoints that can warm-start or be compared with each other.
 */
public final class ArchitectureSignature {

    private ArchitectureSignature() {
    }

    /** Signature of an initialised {@link MultiLayerNetwork} or {@link ComputationGraph}. */
    public static String of(Model model) {
        Hasher hasher = Hashing.sha256().newHasher();
        if (model instanceof MultiLayerNetwork net) {
            hasher.putString("MLN", StandardCharsets.UTF_8);
            for (int i = 0; i < net.getnLayers(); i++) {
                hasher.putString(net.getLayer(i).conf().getLayer().getClass().getSimpleName(), StandardCharsets.UTF_8);
            }
        } else if (model instanceof ComputationGraph graph) {
            hasher.putString("CG", StandardCharsets.UTF_8);
            for (var vertex : graph.getVertices()) {
                hasher.putString(vertex.getVertexName() + ":" + vertex.getClass().getSimpleName(),
                        StandardCharsets.UTF_8);
                if (vertex.hasLayer()) {
                    hasher.putString(vertex.getLayer().conf().getLayer().getClass().getSimpleName(),
                            StandardCharsets.UTF_8);
                }
            }
        } else {
            throw new IllegalArgumentException("Unsupported model type: "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            hasher.putString(e.getKey() + Arrays.toString(e.getValue().shape()), StandardCharsets.UTF_8);
        }
        return hasher.hash().toString().substring(0, 16);
    }
}
