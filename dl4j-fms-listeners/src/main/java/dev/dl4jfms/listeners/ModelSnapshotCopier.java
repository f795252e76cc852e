package dev.dl4jfms.listeners;

import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.ModelSnapshots;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies a network's state into a {@link ModelSnapshot} on the calling (training) thread via
 * {@link ModelSnapshots#of(Model)}. The copies are allocated outside any workspace, so the background writer never
 * touches live parameter views or workspace memory that training reuses.
 */
final class ModelSnapshotCopier {

    private ModelSnapshotCopier() {
    }

    /**
     * @param epochCount     completed epochs to record (DL4J's counter lags by one inside {@code onEpochEnd})
     * @param iterationCount completed iterations to record
     */
    static ModelSnapshot copy(Model model, boolean withUpdaterState, int epochCount, long iterationCount) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw CheckpointCaptureListener.unsupported(model);
        }
        ModelSnapshot copy;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            copy = ModelSnapshots.of(model);
        }
        return new ModelSnapshot(copy.modelType(), copy.configJson(), copy.params(),
                withUpdaterState ? copy.updaterState() : null, epochCount, iterationCount);
    }
}
