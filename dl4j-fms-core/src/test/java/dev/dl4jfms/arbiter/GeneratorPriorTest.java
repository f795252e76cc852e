package dev.dl4jfms.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.policy.HyperbandPolicy;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.transfer.MetaTrainer;
import dev.dl4jfms.transfer.PriorMismatchException;
import dev.dl4jfms.transfer.SourceTask;
import dev.dl4jfms.transfer.TransferGuard;
import dev.dl4jfms.transfer.TransferPrior;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.eval.Evaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Arbiter generator and the policy factory start a forecasting policy from a prior file. */
class GeneratorPriorTest {

    @TempDir
    Path dir;

    /** A small dyhpo prior over the names an MLP space yields (learning_rate, width1, l2, ...). */
    static Path prior(Path dir) throws Exception {
        Random rnd = new Random(2);
        List<SourceTask.Trial> trials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double lr = Math.pow(10, -4 + 3 * rnd.nextDouble());
            int width = 8 + rnd.nextInt(40);
            double fin = 0.4 + 0.4 * Math.exp(-Math.pow(Math.log10(lr) + 2, 2));
            trials.add(new SourceTask.Trial(Map.of("learning_rate", Double.toString(lr), "width1",
                    Integer.toString(width), "hidden_layers", "1", "updater", "adam"),
                    new double[] {fin * 0.6, fin * 0.9, fin}, null));
        }
        MetaTrainer.Result r = new MetaTrainer(60, 32, 1).train(List.of(new SourceTask("s", 3, trials)),
                DeepKernelForecaster.builder().seed(1).learningRate(1e-2));
        Path file = dir.resolve("dyhpo.fmsprior");
        TransferPrior.of(r, "dyhpo", "val_accuracy", MetricDirection.MAXIMIZE, List.of("s"), "test").save(file);
        return file;
    }

    @Test
    void aGeneratorWithAPriorSerialisesItsPathAndItsPolicyDecidesUnderTheTransferGuard() throws Exception {
        Path file = prior(dir);
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("fms.db"))) {
            FmsCandidateGenerator g = FmsCandidateGenerator.builder(FmsCandidateGeneratorTest.mlpSpace()).store(store)
                    .studyName("with-prior").budgetEpochs(12).maxEpochsPerTrial(3).poolSize(6).seed(11)
                    .policy("dyhpo").surrogateSchedule(new FmsPolicies.Schedule(1, 20, 5)).prior(file).build();
            OptimizationConfiguration conf = new OptimizationConfiguration.Builder().candidateGenerator(g)
                    .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                    .terminationConditions(new FmsTerminationCondition()).build();
            FmsCandidateGenerator back = (FmsCandidateGenerator) OptimizationConfiguration.fromJson(conf.toJson())
                    .getCandidateGenerator();
            assertEquals(file.toAbsolutePath().toString(), back.getPriorPath());
            assertEquals(g, back);
            assertTrue(g.hasMoreCandidates(), "the study opens with the prior and hands out its warm-up");

            StudySettings settings = g.getStudySettings();
            CandidatePool pool = CandidatePool.draw(FmsCandidateGeneratorTest.mlpSpace(), 6, 11);
            TransferPrior p = TransferPrior.load(file);
            FreezeThawPolicy policy = FmsPolicies.freezeThaw("dyhpo", store, pool, settings,
                    new FmsPolicies.Schedule(1, 20, 5), p);
            assertTrue(policy.forecaster() instanceof TransferGuard, policy.forecaster().getClass().getName());
            PriorMismatchException e = assertThrows(PriorMismatchException.class, () -> FmsPolicies.freezeThaw(
                    "fms-stats", store, pool, settings, FmsPolicies.Schedule.DEFAULT, p));
            assertTrue(e.getMessage().contains("dyhpo"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator
                .builder(FmsCandidateGeneratorTest.mlpSpace()).storePath(dir.resolve("x.db")).studyName("x")
                .policy(new HyperbandPolicy()).prior(file).build());
        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator
                .builder(FmsCandidateGeneratorTest.mlpSpace()).storePath(dir.resolve("x.db")).studyName("x")
                .policy("fms-stats").prior(dir.resolve("missing.fmsprior")).build());
    }
}
