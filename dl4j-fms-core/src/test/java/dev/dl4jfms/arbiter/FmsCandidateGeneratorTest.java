package dev.dl4jfms.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.policy.HyperbandPolicy;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialStatus;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The generator against a real SQLite store and study, without training (the listeners module trains). */
class FmsCandidateGeneratorTest {

    @TempDir
    Path dir;
    private SqliteCheckpointStore store;

    @BeforeEach
    void open() {
        store = SqliteCheckpointStore.open(dir.resolve("fms.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static MultiLayerSpace mlpSpace() {
        return new MultiLayerSpace.Builder().seed(3)
                .updater(new AdamSpace(new ContinuousParameterSpace(1e-4, 1e-1), new FixedValue<>(0.9),
                        new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                .l2(new ContinuousParameterSpace(1e-6, 1e-3))
                .addLayer(new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(8, 48))
                        .activation(Activation.RELU).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(784)).build();
    }

    private FmsCandidateGenerator generator(Policy policy) {
        return FmsCandidateGenerator.builder(mlpSpace()).store(store).studyName("gen-test")
                .budgetEpochs(12).maxEpochsPerTrial(3).poolSize(6).seed(11).policy(policy).build();
    }

    private static OptimizationConfiguration configuration(FmsCandidateGenerator g) {
        return new OptimizationConfiguration.Builder().candidateGenerator(g)
                .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                .terminationConditions(new FmsTerminationCondition()).build();
    }

    @Test
    void candidatesCarryTheirSegmentAndAreFreshCopies() {
        FmsCandidateGenerator g = generator(new RandomSearchPolicy());
        assertTrue(g.hasMoreCandidates());
        Candidate<?> c = g.getCandidate();
        Object v1 = c.getValue();
        Object v2 = c.getValue();
        assertNotSame(v1, v2, "Arbiter hands out deserialized copies");
        assertEquals(v1, v2);
        FmsDL4JConfiguration conf = (FmsDL4JConfiguration) v1;
        SegmentTicket t = conf.ticket();
        assertEquals("gen-test", t.studyName());
        assertEquals(0, t.fromEpoch());
        assertEquals(3, t.toEpoch(), "random search trains a pick to B_max");
        assertEquals(3, conf.getNumEpochs());
        assertNull(conf.getEarlyStoppingConfiguration());
        assertEquals(TrialStatus.RUNNING, store.trial(t.trialId()).orElseThrow().status());
        assertEquals(FmsDL4JConfiguration.class, g.getCandidateType());
        // Equality covers the Arbiter configuration and the ticket; a copy for another segment differs.
        assertEquals(v1.hashCode(), v2.hashCode());
        assertEquals("FmsDL4JConfiguration(" + t + ")", conf.toString());
        SegmentTicket other = new SegmentTicket(t.studyName(), t.segmentId() + 1, t.trialId(), t.poolIndex(),
                t.fromEpoch(), t.toEpoch(), t.resumeCheckpointId(), t.pretrainedCheckpointId());
        assertFalse(conf.equals(new FmsDL4JConfiguration(conf.getMultiLayerConfiguration(), other)));
        assertEquals(conf, new FmsDL4JConfiguration(conf.getMultiLayerConfiguration(), t));
        // The configuration is the space's value at the pool point.
        MultiLayerSpace space = (MultiLayerSpace) g.getParameterSpace();
        assertEquals(space.getValue(c.getFlatParameters()).getMultiLayerConfiguration().toJson(),
                conf.getMultiLayerConfiguration().toJson());
    }

    @Test
    void resultsWithoutASegmentReportFailTheTrialInsteadOfBlockingTheStudy() {
        FmsCandidateGenerator g = generator(new RandomSearchPolicy());
        g.hasMoreCandidates();
        Candidate<?> c = g.getCandidate();
        long trialId = ((FmsCandidate) c.getValue()).ticket().trialId();
        CandidateInfo info = new CandidateInfo(c.getIndex(), CandidateStatus.Complete, 0.5, 0L, 0L, 1L,
                c.getFlatParameters(), null);
        g.reportResults(new OptimizationResult(c, 0.5, c.getIndex(), null, info, null));
        assertEquals(TrialStatus.FAILED, store.trial(trialId).orElseThrow().status());
        assertEquals(0, g.runningSegments());
    }

    @Test
    void reportedCurvesReachTheStudyAndTheTerminationConditionWaitsForRunningSegments() {
        FmsCandidateGenerator g = generator(new RandomSearchPolicy());
        FmsTerminationCondition condition = new FmsTerminationCondition(3);
        g.hasMoreCandidates();
        Candidate<?> c = g.getCandidate();
        SegmentTicket t = ((FmsCandidate) c.getValue()).ticket();
        assertEquals(1, g.runningSegments());
        assertFalse(g.isFinished());
        assertEquals(0, g.spentEpochs(), "epochs are charged when reported");
        List<SegmentReport.EpochPoint> curve = List.of(
                new SegmentReport.EpochPoint(1, 0.5, 1.2, null, null),
                new SegmentReport.EpochPoint(2, 0.6, 1.0, null, null),
                new SegmentReport.EpochPoint(3, 0.7, 0.9, null, null));
        SegmentReport report = new SegmentReport(t, SegmentReport.Status.COMPLETED, null, curve);
        CandidateInfo info = new CandidateInfo(c.getIndex(), CandidateStatus.Complete, 0.7, 0L, 0L, 1L,
                c.getFlatParameters(), null);
        g.reportResults(new OptimizationResult(c, 0.7, c.getIndex(), report, info, null));
        assertEquals(TrialStatus.FINISHED, store.trial(t.trialId()).orElseThrow().status());
        assertEquals(List.of(1, 2, 3), store.checkpoints(t.trialId()).stream().map(r -> r.epoch()).toList());
        assertEquals(0.7, g.study().incumbent().orElseThrow().rawValue(), 1e-12);
        assertEquals(0, g.runningSegments());
        assertEquals(3, g.spentEpochs());
        assertEquals(3, condition.getMaxEpochs());
    }

    @Test
    void configurationRoundTripsThroughJsonAndYamlWithoutRuntimeState() {
        FmsCandidateGenerator g = generator(new HyperbandPolicy());
        OptimizationConfiguration conf = configuration(g);
        // Opening the study assigns the space's leaf indices (Arbiter state inside the space); after that,
        // handing out segments changes runtime state only...
        assertTrue(g.hasMoreCandidates());
        String before = conf.toJson();
        g.getCandidate();
        assertTrue(g.hasMoreCandidates());
        g.getCandidate();
        String during = conf.toJson();
        // ...but is not serialized: the JSON is unchanged.
        assertEquals(before, during);
        assertFalse(during.contains("\"study\"") || during.contains("outstanding") || during.contains("pending"),
                during);
        OptimizationConfiguration back = OptimizationConfiguration.fromJson(during);
        assertEquals(g, back.getCandidateGenerator());
        assertEquals(new FmsTerminationCondition(), back.getTerminationConditions().get(0));
        assertEquals(g, OptimizationConfiguration.fromYaml(conf.toYaml()).getCandidateGenerator());

        // A deserialized generator reopens the store path and resumes the study (built-in policy by name).
        FmsCandidateGenerator revived = (FmsCandidateGenerator) back.getCandidateGenerator();
        assertEquals("hyperband", revived.getPolicyName());
        assertEquals(g.getStudySettings(), revived.getStudySettings());
        assertThrows(IllegalArgumentException.class, () -> revived.attach(null, new RandomSearchPolicy()));
        // Reopened from the serialized store path (as after a crash of the runner), the study resumes: same
        // pool, nothing charged yet, and it hands out work again.
        assertEquals("gen-test", revived.study().name());
        assertEquals(g.study().pool().fingerprint(), revived.study().pool().fingerprint());
        assertEquals(0, revived.spentEpochs());
        assertTrue(revived.hasMoreCandidates());
        assertTrue(revived.store() != store, "a separate connection to the same file");
        revived.closeStore();
    }

    @Test
    void builderRejectsMissingParts() {
        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator.builder(mlpSpace())
                .budgetEpochs(5).maxEpochsPerTrial(2).policy(new RandomSearchPolicy()).build());
        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator.builder(mlpSpace()).store(store)
                .budgetEpochs(5).maxEpochsPerTrial(2).build());
        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator.builder(
                new ContinuousParameterSpace(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator.builder(mlpSpace()).store(store)
                .policy(new RandomSearchPolicy()).build(), "budget and B_max are required");
    }
}
