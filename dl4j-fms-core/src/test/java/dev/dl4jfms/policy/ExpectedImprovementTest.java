package dev.dl4jfms.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The acquisition the freeze-thaw policy ranks by, against its definition (a numerical integral). */
class ExpectedImprovementTest {

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
            assertEquals(eiByIntegration(mu, sigma, inc), ExpectedImprovement.of(mu, sigma, inc),
                    1e-6 * Math.max(1, sigma), "mu=" + mu + " sigma=" + sigma + " y*=" + inc);
        }
    }

    @Test
    void atZeroSpreadTheImprovementIsTheLimitMaxOfMeanMinusIncumbentAndZero() {
        assertEquals(1.0, ExpectedImprovement.of(2.0, 0.0, 1.0));
        assertEquals(0.0, ExpectedImprovement.of(0.0, 0.0, 1.0));
        assertEquals(ExpectedImprovement.of(2.0, 1e-9, 1.0), ExpectedImprovement.of(2.0, 0.0, 1.0), 1e-9);
        assertTrue(ExpectedImprovement.of(0.0, 1.0, 0.0) > 0.39); // σ φ(0) = 0.3989
        assertEquals(0.5, ExpectedImprovement.normalCdf(0.0), 1e-15);
    }
}
