package dev.dl4jfms.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KendallTauTest {

    @Test
    void handComputedExamples() {
        assertEquals(1.0, KendallTau.tauB(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
        assertEquals(-1.0, KendallTau.tauB(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        // pairs (0,1) C, (0,2) C, (1,2) D -> (2-1)/3
        assertEquals(1.0 / 3, KendallTau.tauB(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-12);
        // x = 1,2,2,3 ; y = 1,2,3,3: C=4, D=0, tied only in x: (1,2), tied only in y: (2,3) -> 4/sqrt(5*5)
        assertEquals(0.8, KendallTau.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 3}), 1e-12);
        // A pair tied in both counts nowhere: x=1,1,2 y=5,5,6 -> C=2 -> 2/sqrt(2*2) = 1
        assertEquals(1.0, KendallTau.tauB(new double[] {1, 1, 2}, new double[] {5, 5, 6}), 1e-12);
    }

    @Test
    void degenerateInputs() {
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1}, new double[] {2})));
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        // NaN entries are dropped: the remaining three points are perfectly concordant.
        assertEquals(1.0, KendallTau.tauB(new double[] {1, Double.NaN, 2, 3}, new double[] {1, 9, 2, 3}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> KendallTau.tauB(new double[2], new double[3]));
    }

    @Test
    void matchesTieGroupFormulaOnRandomTiedData() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(30);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextInt(5);
                y[i] = rnd.nextInt(4) + 0.5 * x[i] * rnd.nextInt(2);
            }
            assertEquals(reference(x, y), KendallTau.tauB(x, y), 1e-12, "trial " + trial);
        }
    }

    /** Textbook form: (nc − nd) / sqrt((n0 − n1)(n0 − n2)) with n1, n2 from tie-group sizes. */
    private static double reference(double[] x, double[] y) {
        int n = x.length;
        double n0 = n * (n - 1) / 2.0;
        double n1 = tiePairs(x);
        double n2 = tiePairs(y);
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i < j) {
                    s += Math.signum(x[i] - x[j]) * Math.signum(y[i] - y[j]);
                }
            }
        }
        double d = Math.sqrt((n0 - n1) * (n0 - n2));
        return d == 0 ? Double.NaN : s / d;
    }

    private static double tiePairs(double[] v) {
        Map<Double, Integer> counts = new HashMap<>();
        for (double d : v) {
            counts.merge(d, 1, Integer::sum);
        }
        return counts.values().stream().mapToDouble(t -> t * (t - 1) / 2.0).sum();
    }
}
