package dev.dl4jfms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class ModelSnapshotsTest {

    private static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    void snapshotIsDetachedFromTheLiveNetwork() {
        MultiLayerNetwork net = TinyNetworks.mlp(8, 1);
        net.fit(TinyNetworks.data(64, 16, 1));
        ModelSnapshot snapshot = ModelSnapshots.of(net);
        INDArray before = snapshot.params().dup();
        net.fit(TinyNetworks.data(64, 16, 2));
        assertEquals(before, snapshot.params(), "training after the snapshot must not change it");
        assertTrue(net.params().distance2(snapshot.params()) > 0, "the network did move");
        assertEquals(1, snapshot.epochCount());
        assertEquals(4, snapshot.iterationCount());
        assertNotNull(snapshot.updaterState(), "Adam has state");
    }

    @Test
    void multiLayerNetworkRestoresThroughTheStoreAndContinuesIdentically() {
        MultiLayerNetwork original = TinyNetworks.mlp(10, 7);
        for (int epoch = 0; epoch < 2; epoch++) {
            original.fit(TinyNetworks.data(96, 16, epoch));
        }
        MultiLayerNetwork restored;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            long study = store.createStudy("s", null).id();
            long trial = store.createTrial(study, new NewTrial(original.getLayerWiseConfigurations().toJson(), null,
                    ArchitectureSignature.of(original), null, null)).id();
            CheckpointRecord cp = store.putCheckpoint(trial, 2, original.getIterationCount(), Map.of(),
                    ModelSnapshots.of(original));
            restored = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(cp));
        }
        assertNotSame(original, restored);
        assertEquals(original.params(), restored.params());
        assertEquals(original.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(original.getEpochCount(), restored.getEpochCount());
        assertEquals(original.getIterationCount(), restored.getIterationCount());
        DataSet batch = TinyNetworks.dataSet(20, 99);
        assertEquals(original.output(batch.getFeatures()), restored.output(batch.getFeatures()));
        assertEquals(ArchitectureSignature.of(original), ArchitectureSignature.of(restored));

        // Continued training: same data, same updater state -> same parameters (Adam would differ without state).
        original.fit(TinyNetworks.data(96, 16, 5));
        restored.fit(TinyNetworks.data(96, 16, 5));
        assertTrue(original.params().equalsWithEps(restored.params(), TOLERANCE),
                "max difference " + original.params().sub(restored.params()).amaxNumber());
        assertEquals(original.getEpochCount(), restored.getEpochCount());
    }

    @Test
    void restoreWithoutUpdaterStateDiffersAfterTraining() {
        // Guards the test above: it would pass vacuously if updater state did not matter.
        MultiLayerNetwork original = TinyNetworks.mlp(10, 7);
        original.fit(TinyNetworks.data(96, 16, 0));
        ModelSnapshot full = ModelSnapshots.of(original);
        ModelSnapshot noState = new ModelSnapshot(full.modelType(), full.configJson(), full.params(), null,
                full.epochCount(), full.iterationCount());
        MultiLayerNetwork fresh = ModelSnapshots.restoreMultiLayerNetwork(noState);
        original.fit(TinyNetworks.data(96, 16, 5));
        fresh.fit(TinyNetworks.data(96, 16, 5));
        assertTrue(original.params().sub(fresh.params()).amaxNumber().doubleValue() > 1e-4);
    }

    @Test
    void computationGraphRestoresAndContinuesIdentically() {
        ComputationGraph original = TinyNetworks.graph(9, 3);
        original.fit(TinyNetworks.data(96, 16, 1));
        ModelSnapshot snapshot = ModelSnapshots.of((org.deeplearning4j.nn.api.Model) original);
        assertEquals(ModelSnapshot.ModelType.COMPUTATION_GRAPH, snapshot.modelType());
        ComputationGraph restored = (ComputationGraph) ModelSnapshots.restore(snapshot);
        assertEquals(original.params(), restored.params());
        assertEquals(original.getConfiguration().getEpochCount(), restored.getConfiguration().getEpochCount());
        DataSet batch = TinyNetworks.dataSet(20, 42);
        assertEquals(original.outputSingle(batch.getFeatures()), restored.outputSingle(batch.getFeatures()));
        original.fit(TinyNetworks.data(96, 16, 2));
        restored.fit(TinyNetworks.data(96, 16, 2));
        assertTrue(original.params().equalsWithEps(restored.params(), TOLERANCE));
    }

    @Test
    void untrainedNetworkHasNoUpdaterStateAndWrongTypeIsRejected() {
        MultiLayerNetwork net = TinyNetworks.mlp(4, 1);
        ModelSnapshot snapshot = ModelSnapshots.of(net);
        assertEquals(0, snapshot.epochCount());
        MultiLayerNetwork restored = ModelSnapshots.restoreMultiLayerNetwork(snapshot);
        assertEquals(net.params(), restored.params());
        assertThrows(IllegalArgumentException.class, () -> ModelSnapshots.restoreComputationGraph(snapshot));
        assertNull(ModelSnapshots.of(TinyNetworks.graph(4, 1)).updaterState(), "an untrained graph has no updater");
    }
}
