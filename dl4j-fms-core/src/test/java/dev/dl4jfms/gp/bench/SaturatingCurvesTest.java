package dev.dl4jfms.gp.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SaturatingCurvesTest {

    @Test
    void noiselessCurvesFollowTheClosedFormAndDrawConfigurationsInOrder() {
        SaturatingCurves c = SaturatingCurves.draw(3, 5, 0.0, new Random(7));
        Random reference = new Random(7);
        for (int i = 0; i < 3; i++) {
            double x0 = reference.nextDouble();
            double x1 = reference.nextDouble();
            for (int k = 0; k < 5; k++) {
                reference.nextGaussian(); // the noise draws (scaled by 0 here) keep the sequence aligned
            }
            assertArrayEquals(new double[] {x0, x1}, c.config(i));
            for (int t = 1; t <= 5; t++) {
                double expected = (0.5 + 0.4 * x0) * (1 - Math.exp(-(0.08 + 0.6 * x1 * x1) * t));
                assertEquals(expected, c.value(i, t), 1e-15);
            }
        }
    }

    @Test
    void rowsAndQueriesCarryTheCurveBeforeTheirEpoch() {
        SaturatingCurves c = SaturatingCurves.draw(2, 4, 0.01, new Random(1));
        List<CurveObservation> rows = c.rows(1, 3, "w");
        assertEquals(3, rows.size());
        CurveObservation third = rows.get(2);
        assertEquals(3, third.epoch());
        assertEquals(4, third.maxEpochs());
        assertArrayEquals(new double[] {c.curve(1)[0], c.curve(1)[1]}, third.curvePrefix());
        assertEquals(c.curve(1)[2], third.value());
        assertEquals("w1-2", third.weightsKey());
        assertNull(c.rows(0, 1, null).get(0).weightsKey());
        ForecastQuery q = c.query(0, 4, 2);
        assertEquals(4, q.epoch());
        assertArrayEquals(new double[] {c.curve(0)[0], c.curve(0)[1]}, q.curvePrefix());
    }

    @Test
    void kendallTauCountsConcordantMinusDiscordantPairs() {
        assertEquals(1.0, SaturatingCurves.kendallTau(new double[] {1, 2, 3}, new double[] {10, 20, 30}));
        assertEquals(-1.0, SaturatingCurves.kendallTau(new double[] {1, 2, 3}, new double[] {3, 2, 1}));
        // pairs (1,2) and (1,3) concordant, (2,3) discordant
        assertEquals(1.0 / 3, SaturatingCurves.kendallTau(new double[] {1, 2, 3}, new double[] {1, 3, 2}), 1e-15);
        // a tie in one array makes that pair count for neither side
        assertEquals(2.0 / 3, SaturatingCurves.kendallTau(new double[] {1, 1, 3}, new double[] {1, 2, 3}), 1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> SaturatingCurves.kendallTau(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void coverageCountsValuesWithinTheNinetyPercentInterval() {
        List<Forecast> f = List.of(new Forecast(0, 1), new Forecast(0, 1), new Forecast(10, 0.5), new Forecast(0, 2));
        // |1.6| <= 1.6449; |1.7| > 1.6449; |0.8| <= 0.822; |3.3| > 3.2898
        assertEquals(0.5, SaturatingCurves.coverage90(f, List.of(1.6, -1.7, 10.8, 3.3)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SaturatingCurves.coverage90(f, List.of(1.0)));
    }
}
