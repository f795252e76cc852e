package dev.dl4jfms.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The negative-transfer guard switches to the cold forecaster only once it is better on enough held-out rows. */
class TransferGuardTest {

    /** The simplest real forecaster: the same Gaussian for every query; counts its fits. */
    static final class ConstantForecaster implements Forecaster {
        final double mean;
        final double std;
        int fits;

        ConstantForecaster(double mean, double std) {
            this.mean = mean;
            this.std = std;
        }

        @Override
        public void fit(List<CurveObservation> observations) {
            fits++;
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> queries) {
            return queries.stream().map(q -> new Forecast(mean, std)).toList();
        }
    }

    private static CurveObservation row(int i) {
        return new CurveObservation(new double[] {i}, 1, 10, new double[0], null, 0.5 + 0.01 * (i % 3));
    }

    @Test
    void aMisledPriorDecidesUntilTheColdForecasterHasWonOnEnoughHeldOutRowsThenTheChangeIsNamed() {
        ConstantForecaster misled = new ConstantForecaster(0.9, 0.01); // sharp and wrong
        ConstantForecaster cold = new ConstantForecaster(0.5, 0.05);
        TransferGuard guard = new TransferGuard(misled, cold, 20, 3.0, 5);
        List<CurveObservation> rows = new ArrayList<>();
        rows.add(row(0));
        guard.fit(rows);
        assertEquals(TransferGuard.TRANSFERRED, guard.activeVariant());
        for (int i = 1; i <= 4; i++) {
            rows.add(row(i));
            guard.condition(rows);
            assertEquals(TransferGuard.TRANSFERRED, guard.activeVariant(), "only " + i + " scored rows");
        }
        rows.add(row(5));
        guard.fit(rows);
        assertEquals(TransferGuard.COLD, guard.activeVariant());
        assertEquals(0.5, guard.predict(List.of(row(9).query())).get(0).mean());
        assertEquals(1, guard.changes().size());
        assertTrue(guard.changes().get(0).contains("cold decides"), guard.changes().get(0));
        assertEquals(6, misled.fits, "both forecasters keep learning: every fit and conditioning reaches both");
        assertEquals(6, cold.fits);
    }

    @Test
    void aGoodPriorKeepsDeciding() {
        TransferGuard guard = new TransferGuard(new ConstantForecaster(0.51, 0.02), new ConstantForecaster(0.3, 0.3),
                20, 3.0, 5);
        List<CurveObservation> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(row(i));
            guard.condition(rows);
        }
        assertEquals(TransferGuard.TRANSFERRED, guard.activeVariant());
        assertEquals(List.of(), guard.changes());
    }
}
