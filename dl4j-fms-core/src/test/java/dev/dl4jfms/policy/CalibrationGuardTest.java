package dev.dl4jfms.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.Forecast;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationGuardTest {

    /** Independent reference: the normal density evaluated directly, then its logarithm. */
    private static double logDensity(double y, double mean, double std) {
        return Math.log(Math.exp(-(y - mean) * (y - mean) / (2 * std * std)) / Math.sqrt(2 * Math.PI * std * std));
    }

    @Test
    void logLikelihoodMatchesTheNormalDensity() {
        double[][] cases = {{0.7, 0.65, 0.05}, {0.3, 0.5, 0.2}, {-1.0, 2.0, 1.5}, {0.5, 0.5, 0.01}};
        for (double[] c : cases) {
            assertEquals(logDensity(c[0], c[1], c[2]), CalibrationTracker.logLikelihood(new Forecast(c[1], c[2]),
                    c[0]), 1e-12);
        }
        assertTrue(Double.isNaN(CalibrationTracker.logLikelihood(new Forecast(Double.NaN, 1), 0.5)));
        assertTrue(Double.isNaN(CalibrationTracker.logLikelihood(new Forecast(0.5, 1), Double.POSITIVE_INFINITY)));
    }

    @Test
    void theWindowHoldsTheMostRecentClippedDifferences() {
        CalibrationGuard guard = new CalibrationGuard(3, 2.0);
        Forecast reference = new Forecast(0.5, 0.1);
        // differences: forecaster 5 sd off (-12.5 + ...), then equal to the reference (0) three times
        guard.add(new Forecast(1.0, 0.1), reference, 0.5);
        assertEquals(-2.0, guard.windowMeanDifference(), 1e-12, "a 5-sigma miss counts as -clip");
        double d = logDensity(0.52, 0.55, 0.08) - logDensity(0.52, 0.5, 0.1);
        guard.add(new Forecast(0.55, 0.08), reference, 0.52);
        assertEquals((-2.0 + d) / 2, guard.windowMeanDifference(), 1e-12);
        guard.add(reference, reference, 0.6);
        guard.add(reference, reference, 0.4);
        assertEquals(3, guard.windowCount());
        assertEquals(d / 3, guard.windowMeanDifference(), 1e-12, "the first observation left the window");
        assertEquals(4, guard.forecaster().count(), "the cumulative trackers keep everything");
        assertEquals((logDensity(0.5, 1.0, 0.1) + logDensity(0.52, 0.55, 0.08) + logDensity(0.6, 0.5, 0.1)
                + logDensity(0.4, 0.5, 0.1)) / 4, guard.forecaster().meanLogLikelihood(), 1e-9, "unclipped");
        guard.add(new Forecast(0.5, Double.NaN), reference, 0.5);
        assertEquals(3, guard.windowCount(), "an observation a forecast cannot score is ignored");
    }

    @Test
    void theVerdictDoesNotDependOnTheUnitOfTheMetric() {
        SplittableRandom rng = new SplittableRandom(3);
        CalibrationGuard unit = new CalibrationGuard(50, 3.0);
        CalibrationGuard percent = new CalibrationGuard(50, 3.0);
        for (int i = 0; i < 50; i++) {
            double y = 0.6 + 0.05 * rng.nextGaussian();
            Forecast f = new Forecast(0.62 + 0.02 * rng.nextGaussian(), 0.03 + 0.02 * rng.nextDouble());
            Forecast r = new Forecast(0.6, 0.05);
            unit.add(f, r, y);
            percent.add(new Forecast(100 * f.mean(), 100 * f.std()), new Forecast(100 * r.mean(), 100 * r.std()),
                    100 * y);
        }
        assertEquals(unit.windowMeanDifference(), percent.windowMeanDifference(), 1e-9);
        assertTrue(Math.abs(unit.forecaster().meanLogLikelihood() - percent.forecaster().meanLogLikelihood()) > 4,
                "the log-likelihood itself does depend on the unit");
    }

    @Test
    void judgesOnlyWithEnoughObservationsAndBeyondTheMargin() {
        CalibrationGuard guard = new CalibrationGuard(10, 3.0);
        Forecast reference = new Forecast(0.0, 1.0);
        Forecast biased = new Forecast(1.0, 1.0); // log-likelihood difference at y = 0: exactly -0.5
        for (int i = 0; i < 4; i++) {
            guard.add(biased, reference, 0.0);
        }
        assertEquals(-0.5, guard.windowMeanDifference(), 1e-12);
        assertFalse(guard.isWorseThanReference(5, 0.4), "only 4 observations");
        guard.add(biased, reference, 0.0);
        assertTrue(guard.isWorseThanReference(5, 0.4));
        assertFalse(guard.isWorseThanReference(5, 0.5), "trailing by exactly the margin is allowed");
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGuard(0, 3.0));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGuard(5, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGuard(5, Double.POSITIVE_INFINITY));
    }
}
