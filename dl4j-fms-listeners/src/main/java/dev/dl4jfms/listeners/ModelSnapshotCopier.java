package dev.dl4jfms.listeners;

import dev.dl4jfms.store.ModelSnapshot;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies a network's state into a {@link ModelSnapshot} on the calling (training) thread. The arrays are fresh
 * copies allocated outside any workspace, so the background writer never touches the live parameter views.
 */
final class ModelSnapshotCopier {

    private ModelSnapshotCopier() {
    }

    static ModelSnapshot copy(Model model, boolean withUpdaterState, int epochCount, long iterationCount) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (model instanceof MultiLayerNetwork net) {
                Updater updater = withUpdaterState ? net.getUpdater(false) : null;
                return new ModelSnapshot(ModelSnapshot.ModelType.MULTI_LAYER_NETWORK,
                        net.getLayerWiseConfigurations().toJson(), net.params().dup(),
                        copyState(updater == null ? null : updater.getStateViewArray()), epochCount, iterationCount);
            }
            if (model instanceof ComputationGraph graph) {
                Updater updater = withUpdaterState ? graph.getUpdater(false) : null;
                return new ModelSnapshot(ModelSnapshot.ModelType.COMPUTATION_GRAPH,
                        graph.getConfiguration().toJson(), graph.params().dup(),
                        copyState(updater == null ? null : updater.getStateViewArray()), epochCount, iterationCount);
            }
            throw CheckpointCaptureListener.unsupported(model);
        }
    }

    private static INDArray copyState(INDArray state) {
        return state == null ? null : state.dup();
    }
}
