package dev.dl4jfms.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.graph.LayerWeights;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshots;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.WeightsKeys;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** FMS policies by name, the study weights loader over a real store, and the generator's JSON with them. */
class FmsPoliciesTest {

    @TempDir
    Path dir;
    private SqliteCheckpointStore store;
    private CandidatePool pool;
    private final StudySettings settings = StudySettings.builder().budgetEpochs(12).maxEpochsPerTrial(3)
            .poolSize(5).seed(11).build();

    @BeforeEach
    void open() {
        store = SqliteCheckpointStore.open(dir.resolve("fms.db"));
        pool = CandidatePool.draw(FmsCandidateGeneratorTest.mlpSpace(), 5, 11);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static void assertSameWeights(NetworkWeights expected, NetworkWeights actual) {
        assertEquals(expected.architectureSignature(), actual.architectureSignature());
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int i = 0; i < expected.layers().size(); i++) {
            LayerWeights e = expected.layers().get(i);
            LayerWeights a = actual.layers().get(i);
            assertEquals(e.params().keySet(), a.params().keySet());
            for (Map.Entry<String, INDArray> p : e.params().entrySet()) {
                assertEquals(p.getValue(), a.params().get(p.getKey()), "layer " + i + " param " + p.getKey());
            }
        }
    }

    private MultiLayerNetwork freshNetwork(int poolIndex) {
        MultiLayerNetwork net = new MultiLayerNetwork(((DL4JConfiguration) pool.value(poolIndex))
                .getMultiLayerConfiguration());
        net.init();
        return net;
    }

    @Test
    void initialKeysRebuildTheSeededNetworkAndCheckpointKeysReadTheStore() {
        StudyWeightsLoader loader = new StudyWeightsLoader(store, pool, 2);
        NetworkWeights init = loader.apply(WeightsKeys.initial(1));
        // The space has a fixed seed: an independently built network of candidate 1 has the same initial weights.
        assertSameWeights(dev.dl4jfms.graph.NetworkWeightsFactory.fromMultiLayerNetwork(freshNetwork(1)), init);
        assertSame(init, loader.apply(WeightsKeys.initial(1)), "cached");
        assertEquals(1, loader.loads());

        // A checkpoint with weights different from any initialisation: perturb a fresh network.
        MultiLayerNetwork trained = freshNetwork(2);
        trained.params().addi(0.25);
        long study = store.createStudy("loader", null).id();
        long trial = store.createTrial(study, new NewTrial("{}", null, null, null, "test")).id();
        CheckpointRecord rec = store.putCheckpoint(trial, 1, 10, Map.of("val_accuracy", 0.5),
                ModelSnapshots.of(trained));
        NetworkWeights fromStore = loader.apply(WeightsKeys.checkpoint(rec.id()));
        assertSameWeights(dev.dl4jfms.graph.NetworkWeightsFactory.fromMultiLayerNetwork(trained), fromStore);
        assertNotEquals(init.layers().get(0).params().get("W").getDouble(0),
                loader.apply(WeightsKeys.initial(2)).layers().get(0).params().get("W").getDouble(0) + 0.25);

        // LRU of 2: init:1 was evicted by ckpt + init:2, so asking again loads it again.
        long before = loader.loads();
        loader.apply(WeightsKeys.initial(1));
        assertEquals(before + 1, loader.loads());

        CheckpointRecord metricsOnly = store.putCheckpoint(trial, 2, 20, Map.of("val_accuracy", 0.6), null);
        assertThrows(IllegalArgumentException.class, () -> loader.apply(WeightsKeys.checkpoint(metricsOnly.id())));
        assertThrows(IllegalArgumentException.class, () -> loader.apply("ckpt:999999"));
        assertThrows(IllegalArgumentException.class, () -> loader.apply("init:5"));
        assertThrows(IllegalArgumentException.class, () -> loader.apply("init:x"));
        assertThrows(IllegalArgumentException.class, () -> loader.apply("hub:3"));
    }

    @Test
    void policiesByNameCarryTheirNameAndRejectUnknownNames() {
        for (String name : FmsPolicies.NAMES) {
            FreezeThawPolicy p = FmsPolicies.freezeThaw(name, store, pool, settings);
            assertEquals(name, p.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FmsPolicies.freezeThaw("fms-magic", store, pool, settings));
        assertTrue(e.getMessage().contains("fms-magic") && e.getMessage().contains("fms-gmn"), e.getMessage());
        assertEquals(new FmsPolicies.Schedule(2, 200, 20), FmsPolicies.Schedule.parse(" 2/200/20 "));
        assertThrows(IllegalArgumentException.class, () -> FmsPolicies.Schedule.parse("2/200"));
        assertThrows(IllegalArgumentException.class, () -> FmsPolicies.Schedule.parse("2/-1/20"));
    }

    @Test
    void generatorSerialisesTheForecasterChoiceByNameAndRebuildsItOnResume() {
        FmsCandidateGenerator g = FmsCandidateGenerator.builder(FmsCandidateGeneratorTest.mlpSpace()).store(store)
                .studyName("named").settings(settings).policy("fms-stats")
                .surrogateSchedule(new FmsPolicies.Schedule(1, 20, 5)).build();
        OptimizationConfiguration conf = new OptimizationConfiguration.Builder().candidateGenerator(g)
                .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                .terminationConditions(new FmsTerminationCondition()).build();
        assertTrue(g.hasMoreCandidates());
        assertTrue(g.study().policy() instanceof FreezeThawPolicy);
        assertEquals("fms-stats", g.study().policy().name());
        String json = conf.toJson();
        assertTrue(json.contains("\"fms-stats\"") && json.contains("\"1/20/5\""), json);
        assertTrue(!json.contains("weightsLoader") && !json.contains("forecaster\""), json);

        FmsCandidateGenerator back = (FmsCandidateGenerator) OptimizationConfiguration.fromJson(json)
                .getCandidateGenerator();
        assertEquals(g, back);
        assertEquals("1/20/5", back.getSurrogateSchedule());
        // Reopened from the stored path the study resumes with the rebuilt policy (a different name would fail).
        assertEquals("fms-stats", back.study().policy().name());
        assertEquals(g.study().pool().fingerprint(), back.study().pool().fingerprint());
        back.closeStore();

        assertThrows(IllegalArgumentException.class, () -> FmsCandidateGenerator
                .builder(FmsCandidateGeneratorTest.mlpSpace()).store(store).settings(settings).policy("bogus")
                .build());
    }
}
