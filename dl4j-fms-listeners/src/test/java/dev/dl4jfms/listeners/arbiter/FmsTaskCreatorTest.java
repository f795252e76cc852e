package dev.dl4jfms.listeners.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.arbiter.FmsCandidate;
import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsGraphConfiguration;
import dev.dl4jfms.arbiter.SegmentReport;
import dev.dl4jfms.arbiter.SegmentTicket;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The task creator on its own (no runner): ComputationGraph spaces, resume across segments, failures. */
class FmsTaskCreatorTest {

    @TempDir
    Path dir;

    static ComputationGraphSpace graphSpace() {
        return new ComputationGraphSpace.Builder().seed(4)
                .updater(new AdamSpace(new ContinuousParameterSpace(1e-3, 1e-2), new FixedValue<>(0.9),
                        new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                .addInputs("in")
                .addLayer("hidden", new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(8, 24))
                        .activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(784)).build();
    }

    private static OptimizationResult runTask(FmsTaskCreator tasks, Candidate<?> c, DataProvider data)
            throws Exception {
        return tasks.create(c, data, new EvaluationScoreFunction(Evaluation.Metric.ACCURACY), List.of(), null)
                .call();
    }

    @Test
    void graphSegmentsTrainResumeAndReportTheirCurves() throws Exception {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("fms.db"))) {
            FmsCandidateGenerator generator = FmsCandidateGenerator.builder(graphSpace()).store(store)
                    .studyName("graph").budgetEpochs(2).maxEpochsPerTrial(2).poolSize(3).seed(2)
                    .policy(new RandomSearchPolicy()).build();
            FmsTaskCreator tasks = new FmsTaskCreator(store, ValidationMetric.ACCURACY);
            DataProvider data = new FashionMnistDataProvider(500, 200, 100);

            Candidate<?> c = generator.getCandidate();
            assertTrue(c.getValue() instanceof FmsGraphConfiguration);
            SegmentTicket ticket = ((FmsCandidate) c.getValue()).ticket();
            OptimizationResult result = runTask(tasks, c, data);
            assertEquals(CandidateStatus.Complete, result.getCandidateInfo().getCandidateStatus());
            SegmentReport report = (SegmentReport) result.getModelSpecificResults();
            assertEquals(SegmentReport.Status.COMPLETED, report.status(), report.message());
            assertEquals(List.of(1, 2), report.epochs().stream().map(SegmentReport.EpochPoint::epoch).toList());
            assertEquals(report.lastValidation(), result.getScore());
            List<CheckpointRecord> curve = store.checkpoints(ticket.trialId());
            assertEquals(report.epochs().get(1).checkpointId(), curve.get(1).id());
            assertEquals(ModelSnapshot.ModelType.COMPUTATION_GRAPH, store.readSnapshot(curve.get(1)).modelType());
            assertEquals(curve.get(1).metric("val_accuracy"), report.lastValidation(), 0.0);

            generator.reportResults(result);
            assertEquals(TrialStatus.FINISHED, store.trial(ticket.trialId()).orElseThrow().status());
            assertTrue(generator.isFinished(), "budget of 2 epochs spent");
        }
    }

    @Test
    void unusableDataBecomesACancelledFailedSegmentThatTheStudyHears() throws Exception {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("fms.db"))) {
            FmsCandidateGenerator generator = FmsCandidateGenerator.builder(graphSpace()).store(store)
                    .studyName("bad-data").budgetEpochs(4).maxEpochsPerTrial(2).poolSize(3).seed(2)
                    .policy(new RandomSearchPolicy()).build();
            FmsTaskCreator tasks = new FmsTaskCreator(store, ValidationMetric.ACCURACY);
            DataProvider noData = new DataProvider() {
                @Override
                public Object trainData(Map<String, Object> p) {
                    return "not an iterator";
                }

                @Override
                public Object testData(Map<String, Object> p) {
                    return null;
                }

                @Override
                public Class<?> getDataType() {
                    return Object.class;
                }
            };
            Candidate<?> c = generator.getCandidate();
            long trialId = ((FmsCandidate) c.getValue()).ticket().trialId();
            OptimizationResult result = runTask(tasks, c, noData);
            assertEquals(CandidateStatus.Cancelled, result.getCandidateInfo().getCandidateStatus());
            assertNull(result.getScore());
            SegmentReport report = (SegmentReport) result.getModelSpecificResults();
            assertEquals(SegmentReport.Status.FAILED, report.status());
            assertTrue(report.message().contains("DataSetIterator"), report.message());
            generator.reportResults(result);
            assertEquals(TrialStatus.FAILED, store.trial(trialId).orElseThrow().status());
            assertTrue(generator.hasMoreCandidates(), "the study goes on with the next configuration");

            // A candidate that is not an FMS candidate (no ticket) still yields a result, never an exception.
            Candidate<String> foreign = new Candidate<>("not a configuration", 99, new double[]{0.5});
            OptimizationResult r = runTask(tasks, foreign, noData);
            assertEquals(CandidateStatus.Cancelled, r.getCandidateInfo().getCandidateStatus());
            assertTrue(r.getCandidateInfo().getExceptionStackTrace().contains("FmsCandidateGenerator"));
        }
    }
}
