package dev.dl4jfms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsPolicies;
import dev.dl4jfms.arbiter.FmsTerminationCondition;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.arbiter.FmsTaskCreator;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.TrialState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.SgdSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A space with candidates that cannot train: plain SGD with learning rate 1e6 on a linear hidden layer (weights
 * blow up to Inf/NaN within an epoch) and a hidden layer of width 0 (DL4J refuses the configuration). The FMS study (deep-kernel GP, every
 * pool candidate in the warm-up) records them as DIVERGED / FAILED with a reason and goes on training the others.
 */
class FailingCandidatesTest {

    static {
        // the examples jar's simplelogger.properties hides INFO; the summary is worth seeing in CI logs
        System.setProperty("org.slf4j.simpleLogger.log.dev.dl4jfms.it", "info");
    }

    private static final Logger log = LoggerFactory.getLogger(FailingCandidatesTest.class);
    private static final double HUGE_LR = 1e6;

    static MultiLayerSpace spaceWithBrokenCandidates() {
        return new MultiLayerSpace.Builder().seed(17)
                .updater(new SgdSpace(new DiscreteParameterSpace<>(0.03, 0.01, HUGE_LR)))
                // identity, not ReLU: with ReLU a huge step kills every unit and the loss stays finite
                .addLayer(new DenseLayerSpace.Builder().nOut(new DiscreteParameterSpace<>(32, 16, 0))
                        .activation(Activation.IDENTITY).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(784)).build();
    }

    private static double learningRate(MultiLayerConfiguration conf) {
        return ((Sgd) ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater()).getLearningRate();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void throwingAndDivergingCandidatesAreRecordedAndTheStudyGoesOn(@TempDir Path dir) {
        int poolSize = 9;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("broken.db"))) {
            FmsCandidateGenerator generator = FmsCandidateGenerator.builder(spaceWithBrokenCandidates()).store(store)
                    .studyName("broken").budgetEpochs(14).maxEpochsPerTrial(3).poolSize(poolSize).seed(4)
                    .warmupConfigs(poolSize).policy(FmsPolicies.DYHPO)
                    .surrogateSchedule(new FmsPolicies.Schedule(1, 150, 20)).build();

            // What the pool holds (read from the configurations, not assumed).
            CandidatePool pool = generator.study().pool();
            List<Integer> diverging = new ArrayList<>();
            List<Integer> invalid = new ArrayList<>();
            List<Integer> healthy = new ArrayList<>();
            for (int i = 0; i < pool.size(); i++) {
                MultiLayerConfiguration conf = ((DL4JConfiguration) pool.value(i)).getMultiLayerConfiguration();
                long width = ((DenseLayer) conf.getConf(0).getLayer()).getNOut();
                if (width == 0) {
                    invalid.add(i);
                } else if (learningRate(conf) == HUGE_LR) {
                    diverging.add(i);
                } else {
                    healthy.add(i);
                }
            }
            assertFalse(diverging.isEmpty() || invalid.isEmpty() || healthy.isEmpty(),
                    "pool mixes diverging " + diverging + ", invalid " + invalid + " and healthy " + healthy);

            OptimizationConfiguration conf = new OptimizationConfiguration.Builder().candidateGenerator(generator)
                    .dataProvider(new FashionMnistProvider(500, 200, 50, 9))
                    .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                    .terminationConditions(new FmsTerminationCondition()).build();
            new LocalOptimizationRunner(2, conf, new FmsTaskCreator(store, ValidationMetric.ACCURACY)).execute();
            assertTrue(generator.isFinished());

            long studyId = generator.study().studyId().orElseThrow();
            List<TrialRecord> trials = store.trials(studyId);
            for (int i : diverging) {
                TrialState t = generator.study().trial(i);
                assertEquals(TrialStatus.DIVERGED, t.status(), "pool " + i + " (lr " + HUGE_LR + ")");
                TrialRecord row = trials.stream().filter(r -> r.id() == t.trialId()).findFirst().orElseThrow();
                assertEquals(TrialStatus.DIVERGED, row.status());
                assertTrue(row.statusReason() != null && row.statusReason().startsWith("DIVERGED"), row.statusReason());
            }
            for (int i : invalid) {
                TrialState t = generator.study().trial(i);
                assertEquals(TrialStatus.FAILED, t.status(), "pool " + i + " (width 0)");
                assertEquals(0, t.epochsTrained());
                TrialRecord row = trials.stream().filter(r -> r.id() == t.trialId()).findFirst().orElseThrow();
                assertTrue(row.statusReason() != null && row.statusReason().startsWith("FAILED")
                        && row.statusReason().length() > "FAILED".length() + 5, row.statusReason());
            }
            // The study went on: healthy trials trained beyond the warm-up, after the failures were recorded.
            int healthyEpochs = 0;
            for (int i : healthy) {
                TrialState t = generator.study().trial(i);
                assertTrue(t.status() != TrialStatus.FAILED && t.status() != TrialStatus.DIVERGED,
                        "pool " + i + " " + t.status());
                healthyEpochs += t.epochsTrained();
                for (CheckpointRecord c : store.checkpoints(t.trialId())) {
                    assertTrue(Double.isFinite(c.metric("val_accuracy")));
                }
            }
            assertTrue(healthyEpochs > healthy.size(), "healthy trials continued: " + healthyEpochs + " epochs");
            List<EventRecord> events = store.events(studyId);
            long lastFailure = events.stream().filter(e -> e.kind().equals("trial_status")
                    && (e.payloadJson().contains("DIVERGED") || e.payloadJson().contains("FAILED")))
                    .mapToLong(EventRecord::id).max().orElseThrow();
            assertTrue(events.stream().anyMatch(e -> e.kind().equals("segment_started") && e.id() > lastFailure),
                    "segments were handed out after the last failure was recorded");
            assertTrue(generator.spentEpochs() > 0 && generator.spentEpochs() <= 14);
            log.info("broken candidates: diverging {}, invalid {}, healthy {} ({} epochs); spent {}; reasons {}",
                    diverging, invalid, healthy, healthyEpochs, generator.spentEpochs(),
                    trials.stream().filter(r -> r.statusReason() != null).map(TrialRecord::statusReason).toList());
        }
    }
}
