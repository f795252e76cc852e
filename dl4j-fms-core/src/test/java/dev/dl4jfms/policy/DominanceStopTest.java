package dev.dl4jfms.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.SegmentDriver;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.SyntheticCurves;
import dev.dl4jfms.study.TerminationReason;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * When the freeze-thaw policy may stop a paused trial as dominated (issue 18): never on forecasts the calibration
 * guard has not judged, and never on a bound below what the trial has already reached.
 */
class DominanceStopTest {

    /**
     * The case a user met: 16 configurations, budget 20 epochs, every trial at about 0.81 after its first epoch,
     * and a forecaster (fitted on 16 one-epoch observations, judged by nobody yet) that says they all end at
     * 0.481 ± 0.1225 - an upper bound of 0.726, far below what they already reached. Before the fix 14 of the 15
     * non-incumbent trials were stopped as DOMINATED right after the warm-up.
     */
    @Test
    void noTrialIsStoppedOnForecastsTheGuardHasNotJudged() {
        int configs = 16;
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < configs; i++) {
            points.add(new double[]{i / (double) configs, 0.5});
        }
        SegmentDriver.Curves curves = (index, epoch) -> 0.80 + 0.001 * index + 0.002 * epoch;
        StudySettings settings = StudySettings.builder().budgetEpochs(20).maxEpochsPerTrial(10).poolSize(configs)
                .seed(7).build();
        FreezeThawPolicy policy = FreezeThawPolicy.builder(new FixedForecaster(0.481, 0.1225)).name("fixed").build();
        Study study = Study.inMemory(settings, CandidatePool.ofUnitVectors(points, List.of()), policy);
        new SegmentDriver(curves, 1, 1).run(study);

        assertEquals(20, study.spentEpochs());
        List<TrialState> dominated = study.view().trials().stream()
                .filter(t -> t.terminationReason() == TerminationReason.DOMINATED).toList();
        assertEquals(List.of(), dominated, "nothing has judged the forecaster yet");
        assertFalse(policy.hasFallenBack(), "too few held-out observations for the guard to judge");
        assertTrue(policy.calibrationGuard().windowCount() < 20);
    }

    /**
     * Once the guard has judged the forecaster (here: a forecaster exactly as good as the reference on every held-out
     * observation, but far too pessimistic at B_max, which held-out observations before B_max never show), trials
     * are stopped - and the bound compared with the incumbent is never below the trial's best value so far.
     */
    @Test
    void aJudgedForecasterStopsTrialsOnABoundNeverBelowTheirBestSoFar() {
        SyntheticCurves curves = new SyntheticCurves(60, 77, 2.0);
        int bMax = 12;
        StudySettings settings = StudySettings.builder().budgetEpochs(150).maxEpochsPerTrial(bMax).seed(3)
                .warmupConfigs(10).build();
        FreezeThawPolicy policy = FreezeThawPolicy.builder(new PessimisticAtMaxEpochs(bMax)).name("pessimist")
                .calibrationMinObservations(10).calibrationMinFitObservations(5).build();
        Study study = Study.inMemory(settings, curves.pool(), policy);
        new SegmentDriver(curves, 1, 1).run(study);

        assertFalse(policy.hasFallenBack(), "as good as the reference before B_max");
        List<TrialState> dominated = study.view().trials().stream()
                .filter(t -> t.terminationReason() == TerminationReason.DOMINATED).toList();
        assertFalse(dominated.isEmpty(), "a judged forecaster stops trials");
        Pattern bound = Pattern.compile("best so far ([0-9.]+), mu ([-0-9.]+) \\+ [0-9.]+ \\* sigma [0-9.]+\\) = "
                + "([-0-9.]+) < incumbent ([0-9.]+); forecaster judged on (\\d+) held-out observations");
        for (TrialState t : dominated) {
            Matcher m = bound.matcher(t.statusReason());
            assertTrue(m.find(), t.statusReason());
            double bestSoFar = Double.parseDouble(m.group(1));
            double compared = Double.parseDouble(m.group(3));
            assertEquals(Double.parseDouble(String.format(Locale.ROOT, "%.4f", t.bestValue())), bestSoFar, 1e-12);
            assertTrue(compared >= bestSoFar, "compared " + compared + " below the best so far " + bestSoFar);
            // the pessimistic forecast (mean 0, sd 0.01) is far below: the floor is what was compared
            assertEquals(bestSoFar, compared, 1e-12, t.statusReason());
            assertTrue(Integer.parseInt(m.group(5)) >= 10, t.statusReason());
        }
    }

    /** The same forecast for every query. */
    static final class FixedForecaster implements Forecaster {
        private final double mean;
        private final double std;

        FixedForecaster(double mean, double std) {
            this.mean = mean;
            this.std = std;
        }

        @Override
        public void fit(List<CurveObservation> observations) {
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> queries) {
            return queries.stream().map(q -> new Forecast(mean, std)).toList();
        }
    }

    /**
     * The trend reference's forecasts, except for B_max from a curve that is two or more epochs short of it (the
     * dominance queries of paused trials), where it predicts 0 ± 0.01; held-out observations at B_max (prefix
     * B_max - 1) get the trend's forecast, so the guard sees a forecaster as good as its reference.
     */
    static final class PessimisticAtMaxEpochs implements Forecaster {
        private final PopulationTrendForecaster trend = new PopulationTrendForecaster();
        private final int maxEpochs;

        PessimisticAtMaxEpochs(int maxEpochs) {
            this.maxEpochs = maxEpochs;
        }

        @Override
        public void fit(List<CurveObservation> observations) {
            trend.fit(observations);
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> queries) {
            List<Forecast> own = trend.predict(queries);
            List<Forecast> out = new ArrayList<>();
            for (int i = 0; i < queries.size(); i++) {
                ForecastQuery q = queries.get(i);
                boolean farAhead = q.epoch() == maxEpochs && q.curvePrefix().length < maxEpochs - 1;
                out.add(farAhead ? new Forecast(0.0, 0.01) : own.get(i));
            }
            return out;
        }
    }
}
