package dev.dl4jfms.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.SgdSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class CandidatePoolTest {

    private static MultiLayerSpace space() {
        // a fixed seed: without one MultiLayerSpace stamps System.currentTimeMillis() into every configuration
        return new MultiLayerSpace.Builder().seed(123L)
                .updater(new SgdSpace(new ContinuousParameterSpace(0.001, 0.1)))
                .addLayer(new DenseLayerSpace.Builder().nIn(4).nOut(new IntegerParameterSpace(8, 64))
                        .activation(Activation.RELU).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(3).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .build();
    }

    @Test
    void sameSeedSamePoolOtherSeedOtherPool() {
        CandidatePool a = CandidatePool.draw(space(), 25, 42);
        CandidatePool b = CandidatePool.draw(space(), 25, 42);
        CandidatePool c = CandidatePool.draw(space(), 25, 43);
        assertEquals(25, a.size());
        assertEquals(2, a.dimension());
        assertEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.fingerprint(), c.fingerprint());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).unitVector(), b.get(i).unitVector(), 0.0);
            for (double v : a.get(i).unitVector()) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @Test
    void valuesAreTheSpaceMappingOfEachPointAsArbiterIndexesIt() {
        CandidatePool pool = CandidatePool.draw(space(), 10, 7);
        // Arbiter's own generator indexes a fresh copy of the same space; its mapping must agree with ours
        MultiLayerSpace reference = space();
        new RandomSearchGenerator(reference, null);
        for (int i = 0; i < pool.size(); i++) {
            double[] u = pool.get(i).unitVector();
            DL4JConfiguration ours = (DL4JConfiguration) pool.value(i);
            DL4JConfiguration arbiter = reference.getValue(u);
            assertEquals(arbiter.getMultiLayerConfiguration().toJson(), ours.getMultiLayerConfiguration().toJson());
            // independent check of the mapping: one coordinate is the learning rate, uniform on [0.001, 0.1]
            double lr = ((Sgd) ((DenseLayer) ours.getMultiLayerConfiguration().getConf(0).getLayer())
                    .getIUpdater()).getLearningRate();
            boolean matchesOne = false;
            for (double x : u) {
                matchesOne |= Math.abs(lr - (0.001 + x * (0.1 - 0.001))) < 1e-12;
            }
            assertTrue(matchesOne, "learning rate " + lr + " is not the uniform map of any coordinate of point " + i);
        }
        String json = pool.configJson(3);
        assertTrue(json.contains("\"poolIndex\":3") && json.contains("unitVector") && json.contains("value"), json);
    }

    @Test
    void crossingWithStartCheckpointsPairsEveryConfigWithEveryModel() {
        CandidatePool pool = CandidatePool.draw(space(), 4, 1, List.of(10L, 20L, 30L));
        assertEquals(12, pool.size());
        for (int i = 0; i < 12; i++) {
            PoolCandidate c = pool.get(i);
            assertEquals(i / 3, c.configIndex());
            assertEquals(List.of(10L, 20L, 30L).get(i % 3), c.startCheckpointId());
            assertArrayEquals(pool.get(c.configIndex() * 3).unitVector(), c.unitVector(), 0.0);
        }
        assertNull(CandidatePool.draw(space(), 4, 1).get(0).startCheckpointId());
        assertNotEquals(pool.fingerprint(), CandidatePool.draw(space(), 4, 1, List.of(10L, 20L, 31L)).fingerprint());
    }

    @Test
    void emptySpacesAndEmptyPoolsAreRejectedClearly() {
        var fixedOnly = new FixedValue<>(3);
        var e1 = assertThrows(IllegalArgumentException.class, () -> CandidatePool.draw(fixedOnly, 10, 1));
        assertTrue(e1.getMessage().contains("no free parameters"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> CandidatePool.draw(space(), 0, 1));
        assertTrue(e2.getMessage().contains("pool size"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> CandidatePool.ofUnitVectors(List.of(), null));
        assertTrue(e3.getMessage().contains("pool size 0"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> CandidatePool.ofUnitVectors(List.of(new double[]{0.5, 1.5}), null));
        assertTrue(e4.getMessage().contains("leaves [0,1]"), e4.getMessage());
        var e5 = assertThrows(IllegalStateException.class,
                () -> CandidatePool.ofUnitVectors(List.of(new double[]{0.5}), null).value(0));
        assertTrue(e5.getMessage().contains("without a parameter space"), e5.getMessage());
    }
}
