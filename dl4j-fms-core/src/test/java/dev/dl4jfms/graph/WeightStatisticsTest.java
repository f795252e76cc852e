package dev.dl4jfms.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J statistics against a plain double-precision Java reference. */
class WeightStatisticsTest {

    @Test
    void matchesPlainJavaReference() {
        Random rng = new Random(3);
        for (int n : new int[]{1, 2, 7, 100, 1001}) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian() * 0.3 + 0.1;
            }
            double[] ours = WeightStatistics.of(Nd4j.createFromArray(v).reshape(1, n));
            double[] ref = reference(v);
            for (int k = 0; k < WeightStatistics.COUNT; k++) {
                assertEquals(ref[k], ours[k], 1e-12 * Math.max(1, Math.abs(ref[k])),
                        "n=" + n + " " + WeightStatistics.NAMES[k]);
            }
        }
        assertEquals(0.0, Arrays.stream(WeightStatistics.of(null)).map(Math::abs).sum());
    }

    private static double[] reference(double[] v) {
        int n = v.length;
        double mean = 0;
        double l1 = 0;
        double l2 = 0;
        for (double x : v) {
            mean += x / n;
            l1 += Math.abs(x);
            l2 += x * x;
        }
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean) / n;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        double[] out = new double[9];
        out[0] = mean;
        out[1] = Math.sqrt(var);
        double[] qs = {0, 0.25, 0.5, 0.75, 1};
        for (int q = 0; q < 5; q++) {
            double pos = qs[q] * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(n - 1, lo + 1);
            out[2 + q] = s[lo] + (s[hi] - s[lo]) * (pos - lo);
        }
        out[7] = l1;
        out[8] = Math.sqrt(l2);
        return out;
    }
}
