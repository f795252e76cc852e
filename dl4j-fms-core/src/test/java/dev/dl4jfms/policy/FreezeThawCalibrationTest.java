package dev.dl4jfms.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.study.SegmentDriver;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.SyntheticCurves;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The calibration guard of {@link FreezeThawPolicy} on synthetic curves: it must hand decisions to the fallback
 * for a forecaster that is misled on most observations, and must not for one whose only bad forecasts came early.
 */
class FreezeThawCalibrationTest {

    private static StudySettings settings(int budget, int warmup) {
        return StudySettings.builder().budgetEpochs(budget).maxEpochsPerTrial(9).seed(2).warmupConfigs(warmup).build();
    }

    /** The trend forecast, with a catastrophic miss (mean +0.2, std / 100) while fitted on fewer than n rows. */
    static final class BadUntilFittedOn implements Forecaster {
        final PopulationTrendForecaster inner = new PopulationTrendForecaster();
        final int goodFrom;
        int fittedOn;

        BadUntilFittedOn(int goodFrom) {
            this.goodFrom = goodFrom;
        }

        @Override
        public void fit(List<CurveObservation> observations) {
            inner.fit(observations);
            fittedOn = observations.size();
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> queries) {
            List<Forecast> trend = inner.predict(queries);
            return fittedOn >= goodFrom ? trend
                    : trend.stream().map(f -> new Forecast(f.mean() + 0.2, f.std() / 100)).toList();
        }
    }

    /** Sane-looking uncertainty, misplaced mean: the trend forecast shifted by two of its standard deviations. */
    static Forecaster shiftedByTwoSigma() {
        return new FreezeThawPolicyTest.DistortedTrendForecaster(f -> new Forecast(f.mean() + 2 * f.std(), f.std()));
    }

    @Test
    void aForecasterThatIsWrongOnMostObservationsHandsOverEvenWithoutCatastrophicMisses() {
        SyntheticCurves curves = new SyntheticCurves(100, 31, 2.0);
        FreezeThawPolicy policy = FreezeThawPolicy.builder(shiftedByTwoSigma()).name("fms-shifted").build();
        Study study = Study.inMemory(settings(120, 10), curves.pool(), policy);
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        driver.run(study);
        assertTrue(policy.hasFallenBack(), "fallback for a forecaster biased by 2 sigma: "
                + policy.calibrationGuard().describe());
        assertTrue(policy.calibrationGuard().windowMeanDifference() < -0.5);
        assertEquals(120, study.spentEpochs(), "the fallback spent the budget");
        driver.assertExactAccounting(study);
    }

    @Test
    void aFewCatastrophicEarlyForecastsDoNotCondemnAForecasterThatIsGoodSince() {
        SyntheticCurves curves = new SyntheticCurves(100, 31, 2.0);
        // bad while fitted on 10 or 11 rows (the first two scored refits with warm-up 10), the trend itself after
        FreezeThawPolicy policy = FreezeThawPolicy.builder(new BadUntilFittedOn(12)).name("fms-early-bad").build();
        Study study = Study.inMemory(settings(120, 10), curves.pool(), policy);
        new SegmentDriver(curves, 1, 1).run(study);
        assertFalse(policy.hasFallenBack(), policy.calibrationGuard().describe());
        assertTrue(policy.calibration().count() >= 40, "judged on " + policy.calibration().count());
        assertTrue(policy.calibration().meanLogLikelihood() < policy.referenceCalibration().meanLogLikelihood() - 0.5,
                "the unclipped cumulative mean, which the guard used to compare, would have condemned it: "
                        + policy.calibrationGuard().describe());
        assertEquals(0.0, policy.calibrationGuard().windowMeanDifference(), 1e-12,
                "the early misses left the window; the forecaster equals the reference since");

        // control: the same forecaster bad for a longer stretch (fits on 10..17 rows) is condemned
        FreezeThawPolicy longer = FreezeThawPolicy.builder(new BadUntilFittedOn(18)).name("fms-long-bad").build();
        Study second = Study.inMemory(settings(120, 10), curves.pool(), longer);
        new SegmentDriver(curves, 1, 1).run(second);
        assertTrue(longer.hasFallenBack(), longer.calibrationGuard().describe());
    }

    @Test
    void forecastsFromFitsOnFewerThanTheWarmUpAreNotScored() {
        SyntheticCurves curves = new SyntheticCurves(100, 31, 2.0);
        // 3 workers: the first fit happens when all 10 warm-up candidates are started but only ~8 have reported
        FreezeThawPolicy policy = FreezeThawPolicy.builder(new BadUntilFittedOn(10)).name("fms-warmup").build();
        Study study = Study.inMemory(settings(120, 10), curves.pool(), policy);
        new SegmentDriver(curves, 3, 1).run(study);
        assertTrue(policy.unscoredHeldOutObservations() > 0, "a fit on fewer than 10 rows happened");
        assertFalse(policy.hasFallenBack(), policy.calibrationGuard().describe());
        assertEquals(policy.calibration().meanLogLikelihood(), policy.referenceCalibration().meanLogLikelihood(),
                1e-12, "no forecast of the bad phase was scored");

        // control: scoring every fit counts the bad early forecasts
        FreezeThawPolicy all = FreezeThawPolicy.builder(new BadUntilFittedOn(10)).name("fms-warmup")
                .calibrationMinFitObservations(1).build();
        new SegmentDriver(curves, 3, 1).run(Study.inMemory(settings(120, 10), curves.pool(), all));
        assertEquals(0, all.unscoredHeldOutObservations());
        assertTrue(all.calibration().meanLogLikelihood() < all.referenceCalibration().meanLogLikelihood() - 100);
    }

    /** Fails like the deep-kernel GP did when fit on a single row; counts the rows of every fit. */
    static final class NeedsTwoRows extends FreezeThawPolicyTest.FitCountingForecaster {
        @Override
        public void fit(List<CurveObservation> observations) {
            if (observations.size() < 2) {
                throw new IllegalArgumentException("cannot standardise a single target");
            }
            super.fit(observations);
        }
    }

    @Test
    void theFirstFitWaitsForTwoObservationsAndIdleWorkersKeepWarmingUp() {
        SyntheticCurves curves = new SyntheticCurves(60, 31, 2.0);
        // warm-up 2 with 2 workers: both warm-up segments are out when the first result comes back, so the policy
        // would otherwise fit on one observation
        NeedsTwoRows forecaster = new NeedsTwoRows();
        FreezeThawPolicy policy = FreezeThawPolicy.builder(forecaster).name("fms-two").build();
        Study study = Study.inMemory(settings(40, 2), curves.pool(), policy);
        SegmentDriver driver = new SegmentDriver(curves, 2, 1);
        driver.run(study);
        assertFalse(policy.hasFallenBack(), "no forecaster failure");
        assertTrue(forecaster.rowsPerFit.get(0) >= 2, forecaster.rowsPerFit.toString());
        assertEquals(3, driver.handedOut.stream().limit(3).map(seg -> seg.poolIndex()).distinct().count());
        assertTrue(driver.handedOut.stream().limit(3).allMatch(seg -> seg.fromEpoch() == 0 && seg.toEpoch() == 1),
                "the idle worker trained a third untried candidate for one epoch instead of fitting on one row");
        assertEquals(40, study.spentEpochs());
        driver.assertExactAccounting(study);
    }

    @Test
    void aSingleCandidateWithOneObservationIsContinuedWithoutAForecast() {
        SyntheticCurves curves = new SyntheticCurves(1, 31, 2.0);
        NeedsTwoRows forecaster = new NeedsTwoRows();
        FreezeThawPolicy policy = FreezeThawPolicy.builder(forecaster).name("fms-one").build();
        Study study = Study.inMemory(StudySettings.builder().budgetEpochs(9).maxEpochsPerTrial(9).seed(2)
                .warmupConfigs(1).build(), curves.pool(), policy);
        SegmentDriver driver = new SegmentDriver(curves, 2, 1);
        driver.run(study);
        assertFalse(policy.hasFallenBack());
        assertEquals(9, study.spentEpochs(), "the only candidate was trained to B_max");
        assertEquals(2, forecaster.rowsPerFit.get(0), "fitted once two observations were in");
        driver.assertExactAccounting(study);
    }

    @Test
    void builderRejectsAGuardThatCouldNeverJudge() {
        Forecaster f = new PopulationTrendForecaster();
        assertThrows(IllegalArgumentException.class,
                () -> FreezeThawPolicy.builder(f).calibrationMinObservations(30).calibrationWindow(20).build());
        assertThrows(IllegalArgumentException.class, () -> FreezeThawPolicy.builder(f).calibrationClip(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> FreezeThawPolicy.builder(f).calibrationMinFitObservations(0).build());
        FreezeThawPolicy p = FreezeThawPolicy.builder(f).calibrationMinObservations(30).build();
        assertEquals(60, p.calibrationGuard().window(), "default window: twice the minimum");
    }
}
