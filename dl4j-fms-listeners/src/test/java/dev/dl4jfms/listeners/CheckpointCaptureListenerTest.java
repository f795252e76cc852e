package dev.dl4jfms.listeners;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SqliteCheckpointStore;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Listener mechanics against the real SQLite store: queueing and backpressure, failure propagation, NaN losses,
 * builder validation. Learning quality is not the point here, so the data is a small random batch; restore and
 * real-data behaviour are covered in integration-tests.
 */
class CheckpointCaptureListenerTest {

    @TempDir
    Path tmp;
    private SqliteCheckpointStore store;
    private long trialId;

    @BeforeEach
    void openStore() {
        store = SqliteCheckpointStore.open(tmp.resolve("store.db"));
        long study = store.createStudy("listener-test", null).id();
        trialId = store.createTrial(study, new NewTrial("{}", null, null, null, "t")).id();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static MultiLayerNetwork smallNet(double learningRate) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).updater(new Adam(learningRate)).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet randomBatch() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 6);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    /** A real store whose putCheckpoint waits for a permit: lets the test hold the writer mid-write. */
    private static CheckpointStore gated(CheckpointStore real, Semaphore permits) {
        return (CheckpointStore) Proxy.newProxyInstance(CheckpointStore.class.getClassLoader(),
                new Class<?>[]{CheckpointStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putCheckpoint")) {
                        permits.acquire();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void epochEndCapturesCopyParamsAndRecordOneBasedEpochs() {
        MultiLayerNetwork net = smallNet(0.01);
        DataSet batch = randomBatch();
        INDArray[] expected = new INDArray[3];
        try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trialId).build()) {
            net.setListeners(capture);
            for (int e = 0; e < 3; e++) {
                net.fit(batch); // fit(DataSet) does not fire epoch events; emulate an epoch of one minibatch
                capture.onEpochEnd(net);
                expected[e] = net.params().dup();
                net.incrementEpochCount();
            }
        }
        List<CheckpointRecord> rows = store.checkpoints(trialId);
        assertEquals(3, rows.size());
        for (int e = 0; e < 3; e++) {
            CheckpointRecord row = rows.get(e);
            assertEquals(e + 1, row.epoch());
            assertEquals(e + 1, row.iteration());
            ModelSnapshot snapshot = store.readSnapshot(row);
            assertEquals(expected[e], snapshot.params().reshape(expected[e].shape()));
            assertNotNull(snapshot.updaterState(), "updater state saved by default");
            assertEquals(e + 1, snapshot.epochCount());
        }
        // later training must not have changed what was captured earlier (copies, not views)
        assertNotEquals(expected[0], expected[2]);
    }

    @Test
    void trainingBlocksOnlyWhenTheQueueIsFull() throws Exception {
        Semaphore permits = new Semaphore(0);
        MultiLayerNetwork net = smallNet(0.01);
        CheckpointCaptureListener capture = CheckpointCaptureListener.builder(gated(store, permits), trialId)
                .queueCapacity(2).saveUpdaterState(false).build();
        // Capture 1 is taken by the writer (which then waits on the gate), captures 2 and 3 fill the queue...
        for (int i = 0; i < 3; i++) {
            capture.onEpochEnd(net);
            net.incrementEpochCount();
        }
        assertEquals(3, capture.stats().pending());
        // ...so capture 4 must wait for the writer.
        CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> capture.onEpochEnd(net));
        assertThrows(TimeoutException.class, () -> fourth.get(500, TimeUnit.MILLISECONDS));
        permits.release(10);
        fourth.get(20, TimeUnit.SECONDS);
        capture.close();
        CaptureStats stats = capture.stats();
        assertEquals(4, stats.written());
        assertEquals(0, stats.pending());
        assertEquals(3, stats.maxInFlight());
        assertTrue(stats.blockedSeconds() >= 0.4, "training waited " + stats.blockedSeconds() + " s");
        assertTrue(stats.captureSeconds() >= stats.blockedSeconds(), stats.toString());
        assertEquals(List.of(1, 2, 3, 4), store.checkpoints(trialId).stream().map(CheckpointRecord::epoch).toList());
    }

    @Test
    void writerFailureIsRaisedAtTheNextEpochEndNamingTrialAndEpoch() {
        MultiLayerNetwork net = smallNet(0.01);
        CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trialId).build();
        store.close(); // the real store now refuses writes
        capture.onEpochEnd(net); // queued; fails in the background
        net.incrementEpochCount();
        CheckpointCaptureException e = assertThrows(CheckpointCaptureException.class, () -> {
            capture.flush();
        });
        assertTrue(e.getMessage().contains("trial " + trialId) && e.getMessage().contains("epoch 1"),
                e.getMessage());
        assertNotNull(e.getCause());
        capture.close(); // already reported: close does not raise it twice
        store = SqliteCheckpointStore.open(tmp.resolve("store.db"));
        assertTrue(store.checkpoints(trialId).isEmpty());
    }

    @Test
    void failureSurfacesOnTheTrainingThreadAtEpochEndAndAtClose() throws Exception {
        Semaphore permits = new Semaphore(0);
        MultiLayerNetwork net = smallNet(0.01);
        CheckpointCaptureListener capture = CheckpointCaptureListener.builder(gated(store, permits), trialId).build();
        capture.onEpochEnd(net);
        store.close();
        permits.release(100);
        // wait until the background write has failed, without consuming the failure
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (capture.stats().failed() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        net.incrementEpochCount();
        CheckpointCaptureException atEpochEnd = assertThrows(CheckpointCaptureException.class,
                () -> capture.onEpochEnd(net));
        assertTrue(atEpochEnd.getMessage().contains("epoch 1"), atEpochEnd.getMessage());
        capture.close(); // already raised once: not raised again

        // A failure nobody has seen yet is raised by close().
        store = SqliteCheckpointStore.open(tmp.resolve("store.db"));
        CheckpointCaptureListener second = CheckpointCaptureListener.builder(store, trialId).build();
        store.close();
        second.onEpochEnd(net);
        CheckpointCaptureException atClose = assertThrows(CheckpointCaptureException.class, second::close);
        assertTrue(atClose.getMessage().contains("trial " + trialId), atClose.getMessage());
        store = SqliteCheckpointStore.open(tmp.resolve("store.db"));
    }

    @Test
    void nanLossIsRecordedNotFatal() {
        MultiLayerNetwork net = smallNet(0.01);
        net.params().assign(Double.NaN);
        try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trialId)
                .scorer(m -> Map.of("custom", Double.POSITIVE_INFINITY)).build()) {
            net.setListeners(capture);
            capture.onEpochStart(net);
            net.fit(randomBatch());
            capture.onEpochEnd(net);
        }
        CheckpointRecord row = store.checkpoints(trialId).get(0);
        assertTrue(Double.isNaN(row.metric(CheckpointCaptureListener.TRAIN_LOSS)), row.metrics().toString());
        assertEquals(Double.POSITIVE_INFINITY, row.metric("custom"));
        assertTrue(row.metric(CheckpointCaptureListener.SECONDS) >= 0);
        assertTrue(row.hasWeights());
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> CheckpointCaptureListener.builder(null, trialId));
        IllegalArgumentException noTrial = assertThrows(IllegalArgumentException.class,
                () -> CheckpointCaptureListener.builder(store, trialId + 1000).build());
        assertTrue(noTrial.getMessage().contains(String.valueOf(trialId + 1000)), noTrial.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointCaptureListener.builder(store, trialId).captureEveryEpoch(false).build());
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointCaptureListener.builder(store, trialId).queueCapacity(0));
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointCaptureListener.builder(store, trialId).everyNIterations(0));
        assertThrows(IllegalArgumentException.class,
                () -> CheckpointCaptureListener.builder(store, trialId).scorer(null));
    }

    @Test
    void closedListenerRefusesCaptures() {
        CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trialId).build();
        capture.close();
        capture.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> capture.onEpochEnd(smallNet(0.01)));
    }
}
