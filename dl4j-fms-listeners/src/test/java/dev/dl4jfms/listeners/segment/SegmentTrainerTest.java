package dev.dl4jfms.listeners.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.NewTrial;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Real training of a small MLP on 600 Fashion-MNIST images with a real SQLite store. */
class SegmentTrainerTest extends RealTrainingFixture {

    private long studyId;

    @BeforeEach
    void createStudy() {
        studyId = store.createStudy("segments", null).id();
    }

    private static MultiLayerConfiguration mlp(IUpdater updater, Activation outAct, LossFunctions.LossFunction loss,
                                               int nOut) {
        return new NeuralNetConfiguration.Builder().seed(42).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(loss).nIn(32).nOut(nOut).activation(outAct).build())
                .build();
    }

    private static MultiLayerConfiguration classifier() {
        return mlp(new Adam(5e-3), Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, 10);
    }

    private long newTrial(String label) {
        return store.createTrial(studyId, new NewTrial("{}", null, null, null, label)).id();
    }

    private SegmentTrainer trainer() {
        return SegmentTrainer.builder().store(store).metric(ValidationMetric.ACCURACY).build();
    }

    private float[] params(CheckpointRecord record) {
        return store.readSnapshot(record).params().dup().data().asFloat();
    }

    @Test
    void resumedSegmentsContinueExactlyWhereUninterruptedTrainingWouldBe() {
        long straight = newTrial("straight");
        SegmentOutcome all = trainer().train(SegmentRequest.builder(straight).fresh(classifier()).epochs(3).build(),
                train(), validation());
        assertEquals(SegmentStatus.COMPLETED, all.status(), all.message());
        assertEquals(List.of(1, 2, 3), all.epochs().stream().map(EpochMetrics::epoch).toList());
        assertEquals(0, all.startEpoch());
        assertEquals(3, all.endEpoch());

        long split = newTrial("split");
        SegmentOutcome first = trainer().train(SegmentRequest.builder(split).fresh(classifier()).epochs(2).build(),
                train(), validation());
        SegmentOutcome second = trainer().train(SegmentRequest.builder(split)
                .resumeFromCheckpoint(first.checkpointIds().get(1)).epochs(1).build(), train(), validation());
        assertEquals(SegmentStatus.COMPLETED, second.status(), second.message());
        assertEquals(2, second.startEpoch());
        assertEquals(3, second.epochs().get(0).epoch(), "epoch numbering continues");
        assertEquals(List.of(1, 2, 3), store.checkpoints(split).stream().map(CheckpointRecord::epoch).toList());

        CheckpointRecord a = store.checkpoint(all.checkpointIds().get(2)).orElseThrow();
        CheckpointRecord b = store.checkpoint(second.checkpointIds().get(0)).orElseThrow();
        assertEquals(a.iteration(), b.iteration(), "iteration count resumed");
        assertArrayEquals(params(a), params(b), 1e-5f, "same weights as uninterrupted training");
        assertEquals(all.epochs().get(2).validationValue(), second.epochs().get(0).validationValue(), 1e-6);
        assertEquals(a.metric("val_accuracy"), second.epochs().get(0).validationValue(), 0.0);

        // Sensitivity: without the Adam moments the resumed weights differ, so the comparison above is meaningful.
        long noState = newTrial("no updater state");
        SegmentTrainer forgetful = SegmentTrainer.builder().store(store).saveUpdaterState(false).build();
        SegmentOutcome f1 = forgetful.train(SegmentRequest.builder(noState).fresh(classifier()).epochs(2).build(),
                train(), validation());
        SegmentOutcome f2 = forgetful.train(SegmentRequest.builder(noState)
                .resumeFromCheckpoint(f1.checkpointIds().get(1)).epochs(1).build(), train(), validation());
        float[] lost = params(store.checkpoint(f2.checkpointIds().get(0)).orElseThrow());
        float maxDiff = 0;
        float[] expected = params(a);
        for (int i = 0; i < lost.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(lost[i] - expected[i]));
        }
        assertTrue(maxDiff > 1e-3, "updater state must matter, max diff " + maxDiff);
    }

    @Test
    void metricsAreRecordedPerEpochAndLearningHappens() {
        long trial = newTrial("curve");
        SegmentOutcome out = trainer().train(SegmentRequest.builder(trial).fresh(classifier()).epochs(2).build(),
                train(), validation());
        assertEquals(2, out.epochsTrained());
        assertEquals(2, out.checkpointIds().size());
        for (EpochMetrics m : out.epochs()) {
            assertTrue(m.trainLoss() > 0 && Double.isFinite(m.trainLoss()));
            assertTrue(m.metric("val_loss") > 0);
            assertTrue(m.seconds() > 0);
            assertEquals(m.validationValue(), m.metric("val_accuracy"), 0.0);
        }
        assertTrue(out.epochs().get(1).validationValue() > 0.5, "far above chance (0.1) after 2 epochs: "
                + out.epochs().get(1).validationValue());
        assertTrue(out.epochs().get(1).trainLoss() < out.epochs().get(0).trainLoss());

        // Same training without a store computes the same validation values itself.
        SegmentOutcome noStore = SegmentTrainer.builder().build().train(
                SegmentRequest.builder(trial).fresh(classifier()).epochs(2).build(), train(), validation());
        assertEquals(SegmentStatus.COMPLETED, noStore.status());
        assertTrue(noStore.checkpointIds().isEmpty());
        for (int i = 0; i < 2; i++) {
            assertEquals(out.epochs().get(i).validationValue(), noStore.epochs().get(i).validationValue(), 1e-6);
            assertEquals(out.epochs().get(i).metric("val_loss"), noStore.epochs().get(i).metric("val_loss"), 1e-4);
            assertEquals(out.epochs().get(i).trainLoss(), noStore.epochs().get(i).trainLoss(), 1e-4);
        }
    }

    @Test
    void computationGraphsAreTrainedAndResumedToo() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(5e-3))
                .graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build(),
                        "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        long trial = newTrial("graph");
        SegmentOutcome first = trainer().train(SegmentRequest.builder(trial).fresh(conf).epochs(1).build(), train(),
                validation());
        assertEquals(SegmentStatus.COMPLETED, first.status(), first.message());
        SegmentOutcome second = trainer().train(SegmentRequest.builder(trial)
                .resumeFromCheckpoint(first.checkpointIds().get(0)).epochs(1).build(), train(), validation());
        assertEquals(SegmentStatus.COMPLETED, second.status(), second.message());
        assertEquals(1, second.startEpoch());
        List<CheckpointRecord> curve = store.checkpoints(trial);
        assertEquals(List.of(1, 2), curve.stream().map(CheckpointRecord::epoch).toList());
        assertEquals(2 * curve.get(0).iteration(), curve.get(1).iteration(), "iteration count continues");
        assertEquals(ModelSnapshot.ModelType.COMPUTATION_GRAPH, store.readSnapshot(curve.get(1)).modelType());
    }

    @Test
    void divergenceEndsTheSegmentWithStatusDiverged() {
        long trial = newTrial("exploding");
        MultiLayerConfiguration conf = mlp(new Sgd(1e8), Activation.IDENTITY, LossFunctions.LossFunction.MSE, 10);
        SegmentOutcome out = trainer().train(SegmentRequest.builder(trial).fresh(conf).epochs(5).build(), train(),
                validation());
        assertEquals(SegmentStatus.DIVERGED, out.status());
        assertTrue(out.epochsTrained() < 5);
        assertTrue(out.message().startsWith("Diverged at epoch " + out.endEpoch()), out.message());
    }

    @Test
    void exceptionsBecomeFailedOutcomesWithTheMessage() {
        long trial = newTrial("wrong label width");
        MultiLayerConfiguration conf = mlp(new Adam(1e-3), Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, 5);
        SegmentOutcome out = trainer().train(SegmentRequest.builder(trial).fresh(conf).epochs(2).build(), train(),
                validation());
        assertEquals(SegmentStatus.FAILED, out.status());
        assertNotNull(out.message());
        assertEquals(0, out.epochsTrained());
        assertTrue(store.checkpoints(trial).isEmpty());

        SegmentOutcome missing = trainer().train(SegmentRequest.builder(trial).resumeFromCheckpoint(98765).build(),
                train(), validation());
        assertEquals(SegmentStatus.FAILED, missing.status());
        assertTrue(missing.message().contains("98765"), missing.message());
    }

    @Test
    void observerStopsAfterTheEpochItObjectsTo() {
        long trial = newTrial("stopped");
        SegmentTrainer stopping = SegmentTrainer.builder().store(store)
                .observer((id, m) -> m.epoch() >= 2 ? "forecast dominated" : null).build();
        SegmentOutcome out = stopping.train(SegmentRequest.builder(trial).fresh(classifier()).epochs(4).build(),
                train(), validation());
        assertEquals(SegmentStatus.STOPPED, out.status());
        assertEquals("forecast dominated", out.message());
        assertEquals(2, out.epochsTrained());
        assertEquals(2, store.checkpoints(trial).size());
        assertNull(SegmentTrainer.builder().build().train(SegmentRequest.builder(trial).fresh(classifier()).build(),
                train(), null).epochs().get(0).checkpointId());
    }
}
