package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Expected improvement against its definition (numerical integral) and the per-fidelity incumbent rule. */
class AcquisitionTest {

    /** E[max(Y - y*, 0)] for Y ~ N(μ, σ²) by composite Simpson integration over μ ± 12σ. */
    static double eiByIntegration(double mu, double sigma, double incumbent) {
        double lo = Math.max(incumbent, mu - 12 * sigma);
        double hi = Math.max(lo, mu + 12 * sigma);
        int steps = 20_000;
        double h = (hi - lo) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double y = lo + i * h;
            double f = (y - incumbent) * Math.exp(-0.5 * Math.pow((y - mu) / sigma, 2)) / (sigma * Math.sqrt(2 * Math.PI));
            sum += f * (i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        return sum * h / 3;
    }

    @Test
    void expectedImprovementMatchesItsDefinition() {
        Random rnd = new Random(5);
        for (int t = 0; t < 200; t++) {
            double mu = rnd.nextGaussian();
            double sigma = 0.01 + rnd.nextDouble() * 2;
            double inc = rnd.nextGaussian();
            double ref = eiByIntegration(mu, sigma, inc);
            assertEquals(ref, ExpectedImprovement.of(mu, sigma, inc), 1e-6 * Math.max(1, sigma),
                    "mu=" + mu + " sigma=" + sigma + " y*=" + inc);
        }
    }

    @Test
    void expectedImprovementEdgeCases() {
        assertEquals(0.0, ExpectedImprovement.of(2.0, 0.0, 1.0)); // spec: EI = 0 when σ = 0
        assertEquals(0.0, ExpectedImprovement.of(0.0, 0.0, 1.0));
        assertTrue(ExpectedImprovement.of(0.0, 1.0, 0.0) > 0.39); // σ φ(0) = 0.3989
        assertThrows(IllegalArgumentException.class, () -> ExpectedImprovement.of(0.0, -1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ExpectedImprovement.of(Double.NaN, 1.0, 0.0));
    }

    @Test
    void perFidelityIncumbent() {
        FidelityIncumbents inc = new FidelityIncumbents(List.of(
                new double[] {0.5, 0.7, 0.8},
                new double[] {0.6},
                new double[] {},
                new double[] {0.6, 0.75}));
        assertEquals(0.6, inc.incumbentAt(1));
        assertEquals(1, inc.argBestAt(1)); // tie 0.6 vs 0.6: lowest index
        assertEquals(0.75, inc.incumbentAt(2));
        assertEquals(3, inc.argBestAt(2));
        assertEquals(0.8, inc.incumbentAt(3));
        assertEquals(-1, inc.argBestAt(4));
        assertEquals(0.8, inc.incumbentAt(4)); // nobody reached epoch 4: best overall
        assertTrue(Double.isNaN(new FidelityIncumbents(List.of(new double[0])).incumbentAt(1)));
        assertThrows(IllegalArgumentException.class, () -> inc.incumbentAt(0));
    }
}
