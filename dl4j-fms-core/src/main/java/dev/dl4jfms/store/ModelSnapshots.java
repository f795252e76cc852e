package dev.dl4jfms.store;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Converts between live DL4J networks and detached {@link ModelSnapshot}s.
 *
 * <p>{@code of(...)} copies parameters and updater state ({@code dup()}), so the snapshot can be handed to another
 * thread while training continues. {@code restore(...)} builds a ready network from a snapshot: the configuration,
 * parameters, updater state (when saved) and the epoch/iteration counters, so that training continues exactly as
 * it would have in the original network.
 */
public final class ModelSnapshots {

    private ModelSnapshots() {
    }

    /** A detached snapshot of a {@link MultiLayerNetwork} or {@link ComputationGraph}. */
    public static ModelSnapshot of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return of(net);
        }
        if (model instanceof ComputationGraph graph) {
            return of(graph);
        }
        throw new IllegalArgumentException("Unsupported model type: "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** A detached snapshot of {@code net}, including its updater state when the updater exists. */
    public static ModelSnapshot of(MultiLayerNetwork net) {
        requireInitialised(net);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Updater updater = net.getUpdater(false);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        return new ModelSnapshot(ModelSnapshot.ModelType.MULTI_LAYER_NETWORK, conf.toJson(), net.params().dup(),
                state == null ? null : state.dup(), conf.getEpochCount(), conf.getIterationCount());
    }

    /** A detached snapshot of {@code graph}, including its updater state when the updater exists. */
    public static ModelSnapshot of(ComputationGraph graph) {
        requireInitialised(graph);
        ComputationGraphConfiguration conf = graph.getConfiguration();
        ComputationGraphUpdater updater = graph.getUpdater(false);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        return new ModelSnapshot(ModelSnapshot.ModelType.COMPUTATION_GRAPH, conf.toJson(), graph.params().dup(),
                state == null ? null : state.dup(), conf.getEpochCount(), conf.getIterationCount());
    }

    /** Rebuilds the network of a snapshot ({@link MultiLayerNetwork} or {@link ComputationGraph}). */
    public static Model restore(ModelSnapshot snapshot) {
        return switch (snapshot.modelType()) {
            case MULTI_LAYER_NETWORK -> restoreMultiLayerNetwork(snapshot);
            case COMPUTATION_GRAPH -> restoreComputationGraph(snapshot);
        };
    }

    /**
     * Rebuilds a {@link MultiLayerNetwork}.
     *
     * @throws IllegalArgumentException when the snapshot holds another model type or its arrays do not fit
     */
    public static MultiLayerNetwork restoreMultiLayerNetwork(ModelSnapshot snapshot) {
        requireType(snapshot, ModelSnapshot.ModelType.MULTI_LAYER_NETWORK);
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(snapshot.configJson());
        conf.setEpochCount(snapshot.epochCount());
        conf.setIterationCount(Math.toIntExact(snapshot.iterationCount()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(checkedParams(snapshot, conf.getDataType()), true);
        if (snapshot.updaterState() != null) {
            INDArray state = snapshot.updaterState().castTo(conf.getDataType()).dup();
            Updater updater = net.getUpdater(true);
            requireLength("updater state", state, updater.getStateViewArray());
            updater.setStateViewArray(net, state, false);
        }
        return net;
    }

    /**
     * Rebuilds a {@link ComputationGraph}.
     *
     * @throws IllegalArgumentException when the snapshot holds another model type or its arrays do not fit
     */
    public static ComputationGraph restoreComputationGraph(ModelSnapshot snapshot) {
        requireType(snapshot, ModelSnapshot.ModelType.COMPUTATION_GRAPH);
        ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(snapshot.configJson());
        conf.setEpochCount(snapshot.epochCount());
        conf.setIterationCount(Math.toIntExact(snapshot.iterationCount()));
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init(checkedParams(snapshot, conf.getDataType()), true);
        if (snapshot.updaterState() != null) {
            INDArray state = snapshot.updaterState().castTo(conf.getDataType()).dup();
            ComputationGraphUpdater updater = graph.getUpdater(true);
            requireLength("updater state", state, updater.getStateViewArray());
            updater.setStateViewArray(state);
        }
        return graph;
    }

    private static INDArray checkedParams(ModelSnapshot snapshot, org.nd4j.linalg.api.buffer.DataType dataType) {
        INDArray params = snapshot.params().castTo(dataType);
        return params.rank() == 2 && params.rows() == 1 ? params : params.reshape(1, params.length());
    }

    private static void requireLength(String what, INDArray saved, INDArray expected) {
        long expectedLength = expected == null ? 0 : expected.length();
        if (saved.length() != expectedLength) {
            throw new IllegalArgumentException("Snapshot " + what + " has " + saved.length()
                    + " values; the network expects " + expectedLength);
        }
    }

    private static void requireType(ModelSnapshot snapshot, ModelSnapshot.ModelType type) {
        if (snapshot.modelType() != type) {
            throw new IllegalArgumentException("Snapshot holds a " + snapshot.modelType() + ", not a " + type);
        }
    }

    private static void requireInitialised(Model model) {
        if (model.params() == null) {
            throw new IllegalArgumentException("Network is not initialised (call init() first)");
        }
    }
}
