package dev.dl4jfms.it;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.ModelSnapshots;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SqliteCheckpointStore;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real training on a Fashion-MNIST subset with the capture listener; checkpoints restored from the SQLite store
 * must reproduce the captured networks exactly, and the recorded validation metrics must match an independent
 * evaluation of the restored network.
 */
class CaptureRestoreTest {

    private static IdxData data;
    @TempDir
    Path tmp;
    private SqliteCheckpointStore store;
    private long studyId;

    @BeforeAll
    static void loadData() {
        data = SmallNetworks.fashionSubset(1000, 17);
    }

    @BeforeEach
    void open() {
        store = SqliteCheckpointStore.open(tmp.resolve("runs.db"));
        studyId = store.createStudy("capture-restore", null).id();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long newTrial(String label) {
        return store.createTrial(studyId, new NewTrial("{\"label\":\"" + label + "\"}", null, null, null, label)).id();
    }

    @Test
    void multiLayerNetworkCheckpointsRestoreExactlyAndResumeIdentically() {
        long trial = newTrial("mlp");
        MultiLayerNetwork net = SmallNetworks.mlp(32, 1);
        DataSetIterator train = data.trainIterator(64, false, 0);
        DataSetIterator validation = data.validationIterator(100);
        List<INDArray> paramsAtEpochEnd = new ArrayList<>();
        try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trial)
                .validation(data.validationIterator(100), ValidationMetric.ACCURACY, ValidationMetric.LOSS)
                .build()) {
            net.setListeners(capture);
            for (int epoch = 0; epoch < 3; epoch++) {
                net.fit(train);
                paramsAtEpochEnd.add(net.params().dup());
            }
        }
        List<CheckpointRecord> rows = store.checkpoints(trial);
        assertEquals(List.of(1, 2, 3), rows.stream().map(CheckpointRecord::epoch).toList());
        int batchesPerEpoch = (800 + 63) / 64;
        for (int e = 0; e < 3; e++) {
            CheckpointRecord row = rows.get(e);
            assertEquals((long) batchesPerEpoch * (e + 1), row.iteration());
            MultiLayerNetwork restored = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(row));
            assertEquals(paramsAtEpochEnd.get(e), restored.params(), "params of epoch " + (e + 1));
            // Recorded metrics agree with an independent evaluation of the restored network.
            Evaluation evaluation = restored.evaluate(validation);
            assertEquals(evaluation.accuracy(), row.metric("val_accuracy"), 1e-12);
            validation.reset();
            assertEquals(restored.score(data.validation(), false), row.metric("val_loss"), 1e-4);
            assertTrue(row.metric(CheckpointCaptureListener.TRAIN_LOSS) > 0);
            assertTrue(row.metric(CheckpointCaptureListener.SECONDS) > 0);
        }
        assertTrue(rows.get(2).metric("val_accuracy") > 0.5, "the network learned something: " + rows.get(2));

        // Identical outputs on a batch.
        INDArray batch = data.validation().getFeatures();
        MultiLayerNetwork last = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(rows.get(2)));
        assertEquals(net.output(batch, false), last.output(batch, false));

        // With the updater state and counters restored, one more epoch from checkpoint 2 equals epoch 3.
        MultiLayerNetwork resumed = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(rows.get(1)));
        assertEquals(2, resumed.getEpochCount());
        train.reset();
        resumed.fit(train);
        assertTrue(paramsAtEpochEnd.get(2).equalsWithEps(resumed.params(), 1e-6),
                "resumed training diverged from the original run");
    }

    @Test
    void computationGraphCheckpointsRestoreExactly() {
        long trial = newTrial("graph");
        ComputationGraph graph = SmallNetworks.graph(24, 2);
        DataSetIterator train = data.trainIterator(64, true, 5);
        try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trial)
                .validation(data.validationIterator(100)).everyNIterations(5).build()) {
            graph.setListeners(capture);
            graph.fit(train, 2);
        }
        INDArray expectedParams = graph.params().dup();
        List<CheckpointRecord> rows = store.checkpoints(trial);
        List<CheckpointRecord> epochEnds = rows.stream()
                .filter(r -> !r.metrics().containsKey(CheckpointCaptureListener.MID_EPOCH)).toList();
        assertEquals(List.of(1, 2), epochEnds.stream().map(CheckpointRecord::epoch).toList());
        // 13 minibatches per epoch, a mid-epoch capture every 5 iterations: iterations 5, 10, 15, 20, 25
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L), rows.stream()
                .filter(r -> r.metrics().containsKey(CheckpointCaptureListener.MID_EPOCH))
                .map(CheckpointRecord::iteration).toList());
        assertTrue(epochEnds.get(1).metrics().containsKey("val_accuracy"));
        ModelSnapshot snapshot = store.readSnapshot(epochEnds.get(1));
        assertEquals(ModelSnapshot.ModelType.COMPUTATION_GRAPH, snapshot.modelType());
        ComputationGraph restored = ModelSnapshots.restoreComputationGraph(snapshot);
        assertEquals(expectedParams, restored.params());
        INDArray batch = data.validation().getFeatures();
        assertEquals(graph.outputSingle(false, batch), restored.outputSingle(false, batch));
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }
}
