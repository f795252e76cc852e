package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.embed.WeightEmbedder;
import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.graph.NetworkWeights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A numerical failure during a fit restores the previous state, still predicts, and makes the next fit cold. */
class NumericalFailureRecoveryTest {

    /** Real statistics embedder whose next call can be made to return NaN (a corrupted checkpoint, say). */
    static final class PoisonableEmbedder implements WeightEmbedder {
        private final LinearStatisticsEmbedderFixture inner = new LinearStatisticsEmbedderFixture(3, 1);
        boolean poisonNextCall;

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public INDArray embed(List<NetworkWeights> networks) {
            INDArray e = inner.embed(networks);
            if (poisonNextCall) {
                poisonNextCall = false;
                e.putScalar(0, 0, Double.NaN);
            }
            return e;
        }
    }

    static List<CurveObservation> rows(int configs, String keyPrefix) {
        List<CurveObservation> out = new ArrayList<>();
        for (int i = 0; i < configs; i++) {
            double[] x = {i / (double) configs, (i * 7 % configs) / (double) configs};
            double[] curve = new double[3];
            for (int t = 1; t <= 3; t++) {
                curve[t - 1] = (0.5 + 0.4 * x[0]) * (1 - Math.exp(-(0.2 + x[1]) * t));
                out.add(new CurveObservation(x, t, 10, java.util.Arrays.copyOf(curve, t - 1),
                        keyPrefix + i + "-" + t, curve[t - 1]));
            }
        }
        return out;
    }

    @Test
    void failedFitRestoresPreviousStateAndNextFitIsCold() {
        PoisonableEmbedder embedder = new PoisonableEmbedder();
        DeepKernelForecaster f = DeepKernelForecaster.builder().inputDimension(2).seed(1).learningRate(1e-2)
                .schedule(1, 10, 5).embedder(embedder)
                .weightsLoader(key -> LinearStatisticsEmbedderFixture.syntheticNetwork(key.length() * 0.1,
                        key.hashCode()))
                .build();
        List<CurveObservation> first = rows(8, "a");
        f.fit(first);
        double[] afterFirst = f.gp().rawParameters();
        assertFalse(f.coldNext);

        List<CurveObservation> second = new ArrayList<>(first);
        second.addAll(rows(4, "b")); // new checkpoint keys: the embedder is called during the warm fit
        embedder.poisonNextCall = true;
        f.fit(second);
        assertTrue(f.coldNext, "a failed fit schedules a cold start");
        assertFalse(f.lastFitCold, "the failed fit itself was a warm one");
        assertArrayEquals(afterFirst, f.gp().rawParameters(), "GP hyperparameters restored");
        for (Forecast fc : f.predict(List.of(second.get(0).query(), second.get(second.size() - 1).query()))) {
            assertTrue(Double.isFinite(fc.mean()) && fc.std() > 0, fc.toString());
        }

        f.fit(second);
        assertTrue(f.lastFitCold, "the fit after a failure is cold");
        assertFalse(f.coldNext);
    }
}
