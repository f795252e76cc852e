package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.gp.bench.SaturatingCurves;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A forecaster started from a prior keeps its network, BatchNorm statistics and target scaling; only the GP learns. */
class FrozenFeaturesTest {

    @Test
    void frozenFeaturesLearnOnlyTheGpHyperparametersAndKeepScalingAndBatchNormStatistics() {
        SaturatingCurves curves = SaturatingCurves.draw(30, 8, 0.005, new Random(4));
        List<CurveObservation> first = new ArrayList<>();
        List<CurveObservation> second = new ArrayList<>();
        for (int i = 0; i < curves.size(); i++) {
            (i < 20 ? first : second).addAll(curves.rows(i, i < 20 ? 8 : 1, null));
        }
        DeepKernelForecaster f = DeepKernelForecaster.builder().inputDimension(2).seed(3).learningRate(1e-2)
                .gpHyperparameterLearningRate(1e-2).schedule(1, 100, 25).build();
        f.fit(first);
        double[][] bn = f.batchNormStatistics();
        double shift = f.targetShift;
        double scale = f.targetScale;
        f.fixTargetScaling();
        f.freezeFeatures(bn[0], bn[1]);
        Map<String, double[]> before = new java.util.TreeMap<>();
        for (Map.Entry<String, INDArray> p : f.network.parameters().entrySet()) {
            before.put(p.getKey(), p.getValue().dup().reshape(-1).toDoubleVector());
        }
        double[] gpBefore = f.gp().rawParameters();
        f.fit(second); // one-epoch rows only: their own BatchNorm statistics and scaling would differ a lot
        for (Map.Entry<String, INDArray> p : f.network.parameters().entrySet()) {
            assertArrayEquals(before.get(p.getKey()), p.getValue().dup().reshape(-1).toDoubleVector(), 0.0,
                    p.getKey());
        }
        assertFalse(Arrays.equals(gpBefore, f.gp().rawParameters()), "the GP hyperparameters learn");
        assertArrayEquals(bn[0], f.batchNormStatistics()[0], 0.0);
        assertArrayEquals(bn[1], f.batchNormStatistics()[1], 0.0);
        assertEquals(shift, f.targetShift, 0.0);
        assertEquals(scale, f.targetScale, 0.0);
        assertEquals(second.size(), f.predict(second.stream().map(CurveObservation::query).toList()).size());
    }
}
