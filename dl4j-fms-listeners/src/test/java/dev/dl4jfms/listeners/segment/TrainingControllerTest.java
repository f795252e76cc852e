package dev.dl4jfms.listeners.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.policy.TopKAfterOneEpochPolicy;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshots;
import dev.dl4jfms.store.TrialStatus;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.EpochResult;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.TerminationReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A user's own {@code for (epoch) net.fit(iterator)} loop driven by a real {@link Study} (SQLite store) through
 * {@link TrainingController}, training real MLPs on 600 Fashion-MNIST images.
 */
class TrainingControllerTest extends RealTrainingFixture {

    /** Coordinate 0 of the unit vector picks the learning rate: 1e-6 (barely learns) .. 1e-2 (learns). */
    private static MultiLayerNetwork mlp(Segment segment, boolean exploding) {
        double lr = Math.pow(10, -6 + 4 * segment.unitVector()[0]);
        var builder = new NeuralNetConfiguration.Builder().seed(7).weightInit(WeightInit.XAVIER)
                .updater(exploding ? new Sgd(1e8) : new Adam(lr)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build());
        builder.layer(exploding
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(32).nOut(10)
                        .activation(Activation.IDENTITY).build()
                : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }

    private MultiLayerNetwork networkFor(Segment segment, boolean exploding) {
        if (segment.resumeCheckpointId() == null) {
            return mlp(segment, exploding);
        }
        CheckpointRecord rec = store.checkpoint(segment.resumeCheckpointId()).orElseThrow();
        return (MultiLayerNetwork) ModelSnapshots.restore(store.readSnapshot(rec));
    }

    private static StudySettings settings(int budget, int bMax, long seed) {
        return StudySettings.builder().budgetEpochs(budget).maxEpochsPerTrial(bMax).poolSize(2).seed(seed)
                .warmupConfigs(2).build();
    }

    /** Runs the user's loop for one segment; returns the controller after close(). */
    private TrainingController userLoop(Study study, Segment segment, boolean exploding, List<Integer> epochsSeen) {
        MultiLayerNetwork net = networkFor(segment, exploding);
        TrainingController controller = TrainingController.start(study, segment);
        net.setListeners(controller.listener(validation(),
                ValidationMetric.ACCURACY, store));
        var train = train();
        while (!controller.shouldStop()) {
            net.fit(train);
            epochsSeen.add(net.getEpochCount());
        }
        controller.close();
        return controller;
    }

    @Test
    void topKStudyPausesScreenedTrialsAndRunsTheWinnerToBmax() {
        int resumedWinners = 0;
        // Seed 2 screens the learning configuration first (it must be paused, then resumed from its checkpoint);
        // seed 3 screens it second (it continues seamlessly inside the same loop).
        for (long seed = 2; seed <= 3; seed++) {
            Study study = Study.open(store, "topk-" + seed, settings(20, 3, seed),
                    CandidatePool.ofUnitVectors(List.of(new double[]{0.0}, new double[]{1.0}), null),
                    new TopKAfterOneEpochPolicy(1, 2));
            List<StopSignal> signals = new ArrayList<>();
            List<Long> trialOfSignal = new ArrayList<>();
            Optional<Segment> segment = study.ask();
            int controllers = 0;
            while (segment.isPresent()) {
                List<Integer> epochs = new ArrayList<>();
                TrainingController c = userLoop(study, segment.get(), false, epochs);
                controllers++;
                signals.add(c.stopSignal().orElseThrow());
                trialOfSignal.add(c.trialId());
                if (segment.get().resumeCheckpointId() != null) {
                    resumedWinners++;
                    assertEquals(List.of(2, 3), epochs, "resumed trial continues at epoch 2");
                }
                segment = c.nextSegment().or(study::ask);
            }
            assertTrue(controllers <= 3, "at most: screen A (paused), screen B, resume A");
            assertEquals(StopSignal.Kind.PAUSED, signals.get(0).kind(), signals.get(0).reason());
            assertTrue(signals.get(0).reason().contains("chose trial"), signals.get(0).reason());
            StopSignal last = signals.get(signals.size() - 1);
            assertEquals(StopSignal.Kind.TERMINATED, last.kind(), last.reason());
            assertEquals(TerminationReason.REACHED_MAX_EPOCHS, last.termination());
            assertTrue(study.isFinished());
            assertEquals(4, study.spentEpochs(), "1 screening epoch each + 2 more for the winner");

            // The winner is the learning configuration (lr 1e-2), with three durable checkpoints.
            assertTrue(study.runningSegments().isEmpty());
            long winnerTrial = trialOfSignal.get(trialOfSignal.size() - 1);
            List<CheckpointRecord> curve = store.checkpoints(winnerTrial);
            assertEquals(List.of(1, 2, 3), curve.stream().map(CheckpointRecord::epoch).toList());
            assertTrue(curve.stream().allMatch(CheckpointRecord::hasWeights));
            assertTrue(curve.get(2).metric("val_accuracy") > 0.6, "winner learns: " + curve.get(2).metrics());
            assertEquals(TrialStatus.FINISHED, store.trial(winnerTrial).orElseThrow().status());
        }
        assertEquals(1, resumedWinners, "with seed 2 the winner was screened first and resumed from its checkpoint");
    }

    @Test
    void loopThatEndsEarlyPausesTheTrialAndDivergenceTerminatesIt() {
        Study study = Study.open(store, "random", settings(20, 3, 5),
                CandidatePool.ofUnitVectors(List.of(new double[]{0.9}, new double[]{0.8}), null),
                new RandomSearchPolicy());
        Segment segment = study.ask().orElseThrow();
        assertEquals(3, segment.epochs(), "random search grants B_max at once");
        MultiLayerNetwork net = networkFor(segment, false);
        TrainingController controller = TrainingController.start(study, segment);
        net.setListeners(controller.listener(validation(),
                ValidationMetric.ACCURACY, store));
        net.fit(train());
        assertFalse(controller.shouldStop());
        controller.close(); // the user's loop stops on its own after one epoch
        StopSignal signal = controller.stopSignal().orElseThrow();
        assertEquals(StopSignal.Kind.PAUSED, signal.kind());
        assertTrue(signal.reason().contains("after epoch 1"), signal.reason());
        assertEquals(1, study.spentEpochs());
        assertEquals(TrialStatus.PAUSED, store.trial(controller.trialId()).orElseThrow().status());
        assertThrows(IllegalArgumentException.class, () -> TrainingController.start(study, segment),
                "an answered segment cannot be controlled again");

        // The study resumes it (random search continues started trials first); make this one explode.
        Segment resumed = study.ask().orElseThrow();
        assertEquals(controller.trialId(), resumed.trialId());
        Segment exploding = new Segment(resumed.segmentId(), resumed.trialId(), resumed.poolIndex(),
                resumed.unitVector(), null, null, null, resumed.fromEpoch(), resumed.toEpoch());
        List<Integer> epochs = new ArrayList<>();
        TrainingController c2 = TrainingController.start(study, exploding);
        MultiLayerNetwork bad = mlp(exploding, true);
        bad.setEpochCount(1);
        bad.setListeners(c2.listener(validation(), ValidationMetric.ACCURACY,
                null));
        while (!c2.shouldStop()) {
            bad.fit(train());
            epochs.add(bad.getEpochCount());
        }
        c2.close();
        StopSignal diverged = c2.stopSignal().orElseThrow();
        assertEquals(StopSignal.Kind.TERMINATED, diverged.kind(), diverged.reason());
        assertEquals(TerminationReason.DIVERGED, diverged.termination());
        assertEquals(List.of(2), epochs, "stopped right after the diverging epoch");
        assertEquals(TrialStatus.DIVERGED, store.trial(c2.trialId()).orElseThrow().status());
    }

    @Test
    void manualReportsRejectOutOfOrderEpochs() {
        Study study = Study.inMemory(settings(10, 2, 1),
                CandidatePool.ofUnitVectors(List.of(new double[]{0.5}), null), new RandomSearchPolicy());
        Segment segment = study.ask().orElseThrow();
        TrainingController c = TrainingController.start(study, segment);
        assertThrows(IllegalArgumentException.class, () -> c.reportEpoch(EpochResult.of(2, 0.5, 1.0)));
        assertEquals(null, c.reportEpoch(EpochResult.of(1, 0.5, 1.0)));
        StopSignal s = c.reportEpoch(EpochResult.of(2, 0.6, 0.9));
        assertEquals(StopSignal.Kind.TERMINATED, s.kind());
        assertEquals(TerminationReason.REACHED_MAX_EPOCHS, s.termination());
        assertEquals(s, c.reportEpoch(EpochResult.of(3, 0.7, 0.8)), "after stopping, reports are ignored");
        assertTrue(study.isFinished());
    }
}
