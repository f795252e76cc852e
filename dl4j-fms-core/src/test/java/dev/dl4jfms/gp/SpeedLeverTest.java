package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forecaster's speed levers: warm row subsets and warm early stopping (quality is benchmarked, not tested). */
class SpeedLeverTest {
    private static final int ROWS = 40;

    /** 8 configurations x 5 epochs of y_t = a(x)(1 - exp(-b(x) t)). */
    private static List<CurveObservation> rows() {
        Random rnd = new Random(7);
        List<CurveObservation> out = new ArrayList<>();
        while (out.size() < ROWS) {
            double[] x = {rnd.nextDouble(), rnd.nextDouble()};
            double[] c = new double[5];
            for (int t = 1; t <= 5; t++) {
                c[t - 1] = (0.5 + 0.4 * x[0]) * (1 - Math.exp(-(0.1 + 0.5 * x[1]) * t)) + 0.01 * rnd.nextGaussian();
            }
            for (int t = 1; t <= 5; t++) {
                out.add(new CurveObservation(x, t, 10, Arrays.copyOf(c, t - 1), null, c[t - 1]));
            }
        }
        return out;
    }

    private static List<ForecastQuery> queries(List<CurveObservation> rows) {
        return rows.stream().limit(10).map(o -> new ForecastQuery(o.config(), 10, 10, o.curvePrefix(), null))
                .toList();
    }

    private static DeepKernelForecasterBuilder builder() {
        return DeepKernelForecaster.builder().inputDimension(2).seed(5).learningRate(1e-2).schedule(1, 20, 8);
    }

    /** Cold fit, then one warm fit; returns the forecasts. */
    private static List<Forecast> coldThenWarm(DeepKernelForecaster f, List<CurveObservation> rows) {
        f.fit(rows);
        f.fit(rows);
        return f.predict(queries(rows));
    }

    @Test
    void aSubsetAsLargeAsTheDataIsExactlyTheFullBatchFit() {
        List<CurveObservation> rows = rows();
        List<Forecast> full = coldThenWarm(builder().build(), rows);
        List<Forecast> subset = coldThenWarm(builder().warmSubsetSize(ROWS).build(), rows);
        assertEquals(full, subset);
    }

    @Test
    void aSmallerSubsetChangesTheWarmStepsButThePosteriorConditionsOnAllRows() {
        List<CurveObservation> rows = rows();
        List<Forecast> full = coldThenWarm(builder().build(), rows);
        DeepKernelForecaster f = builder().warmSubsetSize(12).build();
        List<Forecast> subset = coldThenWarm(f, rows);
        assertEquals(ROWS, f.conditionedRows());
        assertEquals(8, f.lastFitSteps());
        assertNotEquals(full, subset, "12-row steps must differ from full-batch steps");
        for (Forecast fc : subset) {
            assertTrue(Double.isFinite(fc.mean()) && fc.std() > 0, fc.toString());
        }
        assertTrue(Double.isFinite(f.lastNll()));
    }

    @Test
    void earlyStoppingEndsWarmFitsOnly() {
        List<CurveObservation> rows = rows();
        // an improvement threshold no step can meet: stop after the first step that fails to beat the first one
        DeepKernelForecaster f = builder().warmEarlyStopping(1, 1e9).build();
        f.fit(rows);
        assertEquals(20, f.lastFitSteps(), "cold fits run every step");
        f.fit(rows);
        assertEquals(2, f.lastFitSteps());
        DeepKernelForecaster off = builder().build();
        off.fit(rows);
        off.fit(rows);
        assertEquals(8, off.lastFitSteps());
    }

    @Test
    void builderRejectsBadLeverValues() {
        assertThrows(IllegalStateException.class, () -> builder().warmSubsetSize(1).build());
        assertThrows(IllegalStateException.class, () -> builder().warmSubsetSize(-3).build());
        assertThrows(IllegalStateException.class, () -> builder().warmEarlyStopping(-1, 0).build());
        assertThrows(IllegalStateException.class, () -> builder().warmEarlyStopping(3, Double.NaN).build());
    }

    /**
     * A study's first fit may see a single observation (two workers, one result back). The SameDiff extractor of
     * earlier versions threw a NullPointerException there; the policy now waits for two, but the forecaster itself
     * must cope: one row, then two, each followed by finite forecasts.
     */
    @Test
    void fitsOnOneAndTwoObservations() {
        List<CurveObservation> rows = rows();
        DeepKernelForecaster f = builder().build();
        for (int count = 1; count <= 2; count++) {
            f.fit(rows.subList(0, count));
            for (Forecast forecast : f.predict(queries(rows))) {
                assertTrue(Double.isFinite(forecast.mean()) && forecast.std() > 0, forecast.toString());
            }
        }
    }
}
