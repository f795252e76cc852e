package dev.dl4jfms.graph;

import dev.dl4jfms.store.ArchitectureSignature;
import dev.dl4jfms.store.ModelSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds detached {@link NetworkWeights} from DL4J models and stored snapshots, classifying every layer into a
 * {@link LayerKind}.
 *
 * <p>Classification rules: {@code ConvolutionLayer} (exact class) is {@link LayerKind#CONV2D};
 * {@code Convolution1DLayer} (and its subclass {@code Convolution1D}) is {@link LayerKind#CONV1D};
 * {@code BatchNormalization} is {@link LayerKind#BATCH_NORM}; a layer without parameters is
 * {@link LayerKind#PARAMETER_FREE}; {@code DenseLayer}, output layers and any other feed-forward layer whose
 * parameters are exactly a 2-d {@code W [nIn, nOut]} and an optional {@code b [1, nOut]} are
 * {@link LayerKind#DENSE}; everything else with parameters (LSTM, embedding layers, deconvolution, separable or
 * depthwise convolution, ...) is {@link LayerKind#UNKNOWN}. Embedding layers are UNKNOWN on purpose: their input
 * is an index, not a feature vector, so their rows are not units of a preceding layer.
 */
public final class NetworkWeightsFactory {

    private static final Set<String> DENSE_KEYS = Set.of("W", "b");

    private NetworkWeightsFactory() {
    }

    /** The weights of an initialised model ({@link MultiLayerNetwork} or {@link ComputationGraph}). */
    public static NetworkWeights fromModel(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return fromMultiLayerNetwork(net);
        }
        if (model instanceof ComputationGraph graph) {
            return fromComputationGraph(graph);
        }
        throw new IllegalArgumentException("Unsupported model type: "
                + (model == null ? "null" : model.getClass().getName())
                + " (expected MultiLayerNetwork or ComputationGraph)");
    }

    /** The weights of an initialised {@link MultiLayerNetwork}; layer indices are the network's layer indices. */
    public static NetworkWeights fromMultiLayerNetwork(MultiLayerNetwork net) {
        requireInitialised(net.params(), "MultiLayerNetwork");
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            String name = layer.conf().getLayer().getLayerName();
            layers.add(describe(i, name == null ? "layer" + i : name, layer));
        }
        return new NetworkWeights(layers, ArchitectureSignature.of(net));
    }

    /**
     * The weights of an initialised {@link ComputationGraph}: its layer vertices in topological order, indexed
     * 0, 1, ... in that order. Non-layer vertices (merge, element-wise, preprocessor vertices) are not listed.
     */
    public static NetworkWeights fromComputationGraph(ComputationGraph graph) {
        requireInitialised(graph.params(), "ComputationGraph");
        List<LayerWeights> layers = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int vertexIndex : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[vertexIndex];
            if (vertex.hasLayer()) {
                layers.add(describe(layers.size(), vertex.getVertexName(), vertex.getLayer()));
            }
        }
        return new NetworkWeights(layers, ArchitectureSignature.of(graph));
    }

    /**
     * Rebuilds the network of a stored snapshot (configuration JSON + flat parameters, no updater) and returns its
     * weights.
     *
     * @throws IllegalArgumentException when the configuration cannot be parsed or does not match the parameters
     */
    public static NetworkWeights fromSnapshot(ModelSnapshot snapshot) {
        return fromModel(rebuild(snapshot));
    }

    /** A network initialised from a snapshot's configuration and parameters (updater state is not restored). */
    public static Model rebuild(ModelSnapshot snapshot) {
        INDArray params = snapshot.params().reshape(1, snapshot.params().length());
        try {
            if (snapshot.modelType() == ModelSnapshot.ModelType.MULTI_LAYER_NETWORK) {
                MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(snapshot.configJson()));
                net.init(params, false);
                return net;
            }
            ComputationGraph graph = new ComputationGraph(
                    ComputationGraphConfiguration.fromJson(snapshot.configJson()));
            graph.init(params, false);
            return graph;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot rebuild a " + snapshot.modelType() + " from its snapshot ("
                    + params.length() + " parameters): " + e.getMessage(), e);
        }
    }

    /** The kind of a DL4J layer configuration with the given parameter table. */
    public static LayerKind classify(org.deeplearning4j.nn.conf.layers.Layer conf, Map<String, INDArray> params) {
        if (params.isEmpty()) {
            return LayerKind.PARAMETER_FREE;
        }
        Class<?> c = conf.getClass();
        if (conf instanceof Convolution1DLayer) {
            return c == Convolution1DLayer.class || c.getSimpleName().equals("Convolution1D")
                    ? LayerKind.CONV1D : LayerKind.UNKNOWN;
        }
        if (c == ConvolutionLayer.class) {
            return LayerKind.CONV2D;
        }
        if (conf instanceof BatchNormalization) {
            return LayerKind.BATCH_NORM;
        }
        if (conf instanceof EmbeddingLayer || conf instanceof EmbeddingSequenceLayer) {
            return LayerKind.UNKNOWN;
        }
        boolean feedForward = conf instanceof DenseLayer || conf instanceof BaseOutputLayer
                || conf instanceof FeedForwardLayer;
        if (feedForward && params.containsKey("W") && DENSE_KEYS.containsAll(params.keySet())) {
            INDArray w = params.get("W");
            INDArray b = params.get("b");
            boolean shapesOk = w.rank() == 2 && (b == null || b.length() == w.size(1));
            if (shapesOk) {
                return LayerKind.DENSE;
            }
        }
        return LayerKind.UNKNOWN;
    }

    private static LayerWeights describe(int index, String name, Layer layer) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        Map<String, INDArray> copies = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
            copies.put(e.getKey(), e.getValue().dup()); // detach from the network's flat parameter view
        }
        return new LayerWeights(index, name, conf.getClass().getSimpleName(), classify(conf, copies), copies);
    }

    private static void requireInitialised(INDArray params, String what) {
        if (params == null) {
            throw new IllegalArgumentException(what + " is not initialised (call init() first)");
        }
    }
}
