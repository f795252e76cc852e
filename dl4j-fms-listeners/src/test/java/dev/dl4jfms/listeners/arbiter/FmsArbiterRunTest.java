package dev.dl4jfms.listeners.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsTerminationCondition;
import dev.dl4jfms.arbiter.SegmentReport;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.policy.AshaPolicy;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * End to end with Arbiter's real {@link LocalOptimizationRunner} (2 concurrent tasks), an MLP
 * {@link MultiLayerSpace} (learning rate, width, L2) on 1,000 Fashion-MNIST images, a real policy deciding which
 * trials to continue, and a real SQLite store.
 */
class FmsArbiterRunTest {

    @TempDir
    Path dir;

    static MultiLayerSpace mlpSpace() {
        return new MultiLayerSpace.Builder().seed(3)
                .updater(new AdamSpace(new ContinuousParameterSpace(1e-4, 3e-2), new FixedValue<>(0.9),
                        new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                .l2(new ContinuousParameterSpace(1e-6, 1e-3))
                .addLayer(new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(8, 48))
                        .activation(Activation.RELU).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(784)).build();
    }

    static Stream<Policy> policies() {
        // ASHA (asynchronous promotions) and freeze-thaw one epoch at a time (forecaster: the population-trend
        // baseline; the GP forecasters plug in the same way).
        return Stream.of(new AshaPolicy(), FreezeThawPolicy.builder(new PopulationTrendForecaster()).build());
    }

    @ParameterizedTest
    @MethodSource("policies")
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void localRunnerWithTwoTasksSpendsTheBudgetInResumableSegments(Policy policy) throws Exception {
        int budget = 14;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("fms.db"))) {
            FmsCandidateGenerator generator = FmsCandidateGenerator.builder(mlpSpace()).store(store)
                    .studyName("arbiter-e2e").budgetEpochs(budget).maxEpochsPerTrial(3).poolSize(9).seed(5)
                    .warmupConfigs(4).policy(policy).build();
            OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                    .candidateGenerator(generator)
                    .dataProvider(new FashionMnistDataProvider(1000, 300, 100))
                    .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                    .terminationConditions(new FmsTerminationCondition()).build();
            LocalOptimizationRunner runner = new LocalOptimizationRunner(2, conf,
                    new FmsTaskCreator(store, ValidationMetric.ACCURACY));

            // Arbiter's UI listener serializes the configuration on every status change: do the same.
            AtomicInteger serialized = new AtomicInteger();
            List<String> serializationErrors = Collections.synchronizedList(new ArrayList<>());
            List<OptimizationResult> results = Collections.synchronizedList(new ArrayList<>());
            runner.addListeners(new BaseStatusListener() {
                @Override
                public void onRunnerStatusChange(IOptimizationRunner r) {
                    try {
                        OptimizationConfiguration back = OptimizationConfiguration.fromJson(
                                r.getConfiguration().toJson());
                        if (!generator.equals(back.getCandidateGenerator())) {
                            serializationErrors.add("generator changed in JSON round trip");
                        }
                        serialized.incrementAndGet();
                    } catch (RuntimeException e) {
                        serializationErrors.add(e.toString());
                    }
                }

                @Override
                public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner r,
                                                    OptimizationResult result) {
                    if (result != null) {
                        results.add(result);
                    }
                }
            });
            runner.execute();

            assertTrue(generator.isFinished(), "the termination condition ended the run when the study finished");
            assertEquals(List.of(), serializationErrors);
            assertTrue(serialized.get() > 0);
            assertEquals(0, runner.numCandidatesFailed());
            int spent = generator.spentEpochs();
            assertTrue(spent > 0 && spent <= budget, "spent " + spent);

            // Every charged epoch has exactly one durable checkpoint with weights; curves are gap-free.
            long studyId = store.studyByName("arbiter-e2e").orElseThrow().id();
            int stored = 0;
            int resumed = 0;
            for (TrialRecord trial : store.trials(studyId)) {
                List<CheckpointRecord> curve = store.checkpoints(trial.id());
                for (int i = 0; i < curve.size(); i++) {
                    CheckpointRecord rec = curve.get(i);
                    assertEquals(i + 1, rec.epoch(), "trial " + trial.id() + " curve " + curve);
                    assertTrue(rec.hasWeights());
                    assertTrue(Double.isFinite(rec.metric("val_accuracy")));
                    // Iteration counters continue across segments: 10 minibatches per epoch.
                    assertEquals(10L * rec.epoch(), rec.iteration(), "iteration count of " + rec);
                }
                stored += curve.size();
                if (curve.size() > 1) {
                    resumed++;
                }
                assertTrue(trial.status() != TrialStatus.RUNNING && trial.status() != TrialStatus.FAILED,
                        trial.status() + ": " + trial.statusReason());
            }
            assertEquals(spent, stored, "no epoch lost, none trained twice");
            assertTrue(resumed >= 1, policy.name() + " continued at least one trial, resumed from its checkpoint");

            // Results carry the curves; completed segments score their last validation value.
            assertTrue(results.size() >= 2);
            for (OptimizationResult r : results) {
                SegmentReport report = (SegmentReport) r.getModelSpecificResults();
                if (r.getCandidateInfo().getCandidateStatus() == CandidateStatus.Complete) {
                    assertEquals(report.lastValidation(), r.getScore());
                } else {
                    assertEquals(null, r.getScore());
                }
            }
            double incumbent = generator.study().incumbent().orElseThrow().rawValue();
            assertTrue(incumbent > 0.6, "incumbent validation accuracy " + incumbent);
            assertTrue(runner.bestScore() <= incumbent + 1e-9);

            // Two tasks ran at the same time at least once.
            List<CandidateInfo> infos = runner.getCandidateStatus();
            boolean overlap = false;
            for (CandidateInfo a : infos) {
                for (CandidateInfo b : infos) {
                    if (a != b && a.getStartTime() != null && b.getStartTime() != null
                            && a.getStartTime() < b.getEndTime() && b.getStartTime() < a.getEndTime()) {
                        overlap = true;
                    }
                }
            }
            assertTrue(overlap, "segments trained concurrently");
        }
    }
}
