package dev.dl4jfms.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialStatus;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.SegmentDriver;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.SyntheticCurves;
import dev.dl4jfms.study.TerminationReason;
import dev.dl4jfms.study.TrialState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class FreezeThawPolicyTest {

    private static final Logger log = LoggerFactory.getLogger(FreezeThawPolicyTest.class);

    @TempDir
    Path dir;

    private static StudySettings settings(int budget, int bMax, long seed) {
        return StudySettings.builder().budgetEpochs(budget).maxEpochsPerTrial(bMax).seed(seed).build();
    }

    private static FreezeThawPolicy trendPolicy() {
        return FreezeThawPolicy.builder(new PopulationTrendForecaster()).name("fms-trend").build();
    }

    /** Normalised regret of a finished study's incumbent over the pool's values at any epoch. */
    private static double regret(Study study, SyntheticCurves curves, int bMax) {
        double[] range = curves.range(bMax);
        return (range[0] - study.incumbent().orElseThrow().value()) / (range[0] - range[1]);
    }

    @Test
    void freezeThawWithTheTrendBaselineBeatsRandomSearchAtEqualBudget() {
        int seeds = 10;
        double fms = 0;
        double random = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            SyntheticCurves curves = new SyntheticCurves(150, 100 + seed, 0.9);
            StudySettings s = settings(200, 20, seed);
            Study a = Study.inMemory(s, curves.pool(), trendPolicy());
            SegmentDriver da = new SegmentDriver(curves, 1, seed);
            da.run(a);
            da.assertExactAccounting(a);
            Study b = Study.inMemory(s, curves.pool(), new RandomSearchPolicy());
            SegmentDriver db = new SegmentDriver(curves, 1, seed);
            db.run(b);
            assertEquals(200, a.spentEpochs(), "freeze-thaw spends the whole budget");
            assertEquals(200, b.spentEpochs());
            fms += regret(a, curves, 20) / seeds;
            random += regret(b, curves, 20) / seeds;
        }
        log.info("mean normalised regret over {} seeds at 200 epochs: freeze-thaw(trend) {}, random {}", seeds, fms,
                random);
        assertTrue(fms < random, "freeze-thaw regret " + fms + " should be below random search " + random);
    }

    @Test
    void finalForecastsRankTrainedConfigurationsLikeTheirTrueFinalValues() {
        SyntheticCurves curves = new SyntheticCurves(100, 8, 2.0);
        FreezeThawPolicy policy = trendPolicy();
        Study study = Study.inMemory(settings(150, 20, 2), curves.pool(), policy);
        new SegmentDriver(curves, 1, 1).run(study);
        List<Forecast> forecasts = policy.forecastAtMaxEpochs(study.view());
        assertEquals(100, forecasts.size());
        List<double[]> pairs = new ArrayList<>();
        for (TrialState t : study.view().trials()) {
            assertTrue(Double.isFinite(forecasts.get(t.poolIndex()).mean()));
            if (t.epochsTrained() > 0) {
                pairs.add(new double[]{forecasts.get(t.poolIndex()).mean(), curves.noiseless(t.poolIndex(), 20)});
            }
        }
        int concordant = 0;
        int discordant = 0;
        for (int i = 0; i < pairs.size(); i++) {
            for (int j = i + 1; j < pairs.size(); j++) {
                double s = Math.signum(pairs.get(i)[0] - pairs.get(j)[0]) * Math.signum(pairs.get(i)[1] - pairs.get(j)[1]);
                concordant += s > 0 ? 1 : 0;
                discordant += s < 0 ? 1 : 0;
            }
        }
        double tau = (concordant - discordant) / (double) (pairs.size() * (pairs.size() - 1) / 2);
        log.info("Kendall tau of trend forecasts at B_max vs true final values over {} trained configs: {}",
                pairs.size(), tau);
        assertTrue(tau > 0.3, "tau " + tau);
    }

    @Test
    void warmUpTrainsDistinctRandomConfigurationsForOneStepEach() {
        SyntheticCurves curves = new SyntheticCurves(60, 3, 2.0);
        StudySettings s = settings(60, 9, 4).toBuilder().warmupConfigs(12).build();
        Study study = Study.inMemory(s, curves.pool(), trendPolicy());
        SegmentDriver driver = new SegmentDriver(curves, 3, 2);
        driver.run(study);
        Set<Integer> seen = new HashSet<>();
        for (Segment seg : driver.handedOut.subList(0, 12)) {
            assertEquals(0, seg.fromEpoch());
            assertEquals(1, seg.toEpoch());
            assertTrue(seen.add(seg.poolIndex()), "warm-up repeats pool " + seg.poolIndex());
        }
        int[] order = PoolOrder.permutation(60, 4);
        for (int p = 0; p < 12; p++) {
            assertTrue(seen.contains(order[p]), "warm-up follows the seeded order");
        }
        for (Segment seg : driver.handedOut.subList(12, driver.handedOut.size())) {
            assertEquals(1, seg.epochs(), "one-epoch steps after warm-up");
        }
    }

    @Test
    void dominatedTrialsAreStoppedWithTheirForecastInTheReason() {
        SyntheticCurves curves = new SyntheticCurves(150, 77, 2.0);
        StudySettings s = settings(200, 20, 3);
        Study study = Study.inMemory(s, curves.pool(), trendPolicy());
        new SegmentDriver(curves, 2, 1).run(study);
        List<TrialState> dominated = study.view().trials().stream()
                .filter(t -> t.terminationReason() == TerminationReason.DOMINATED).toList();
        assertFalse(dominated.isEmpty(), "expected dominated terminations");
        double incumbent = study.incumbent().orElseThrow().value();
        int trulyWorse = 0;
        for (TrialState t : dominated) {
            assertEquals(TrialStatus.STOPPED, t.status());
            assertTrue(t.statusReason().startsWith("DOMINATED: ") && t.statusReason().contains("< incumbent"),
                    t.statusReason());
            assertTrue(t.epochsTrained() < 20);
            trulyWorse += curves.noiseless(t.poolIndex(), 20) < incumbent ? 1 : 0;
        }
        log.info("{} dominated terminations, {} of them truly end below the final incumbent", dominated.size(),
                trulyWorse);
        assertTrue(trulyWorse >= 0.9 * dominated.size(), trulyWorse + " of " + dominated.size());
    }

    @Test
    void forecasterInputsFollowTheSpec() {
        SyntheticCurves curves = new SyntheticCurves(30, 5, 2.0);
        RecordingForecaster recorder = new RecordingForecaster();
        StudySettings s = settings(40, 6, 9).toBuilder().warmupConfigs(5).build();
        List<Long> pretrained = List.of(501L, 502L);
        CandidatePool pool = CandidatePool.ofUnitVectors(curves.points().subList(0, 15), pretrained);
        Study study = Study.inMemory(s, pool, FreezeThawPolicy.builder(recorder).terminateDominated(false).build());
        SegmentDriver.Curves byConfig = (i, e) -> curves.value(pool.get(i).configIndex(), e);
        SegmentDriver driver = new SegmentDriver(byConfig, 1, 1);
        driver.reportWeightsKeys = true;
        driver.run(study);
        assertFalse(recorder.observations.isEmpty());
        for (CurveObservation o : recorder.observations) {
            int index = indexOf(pool, o.config(), o.weightsKey(), o.epoch());
            assertEquals(byConfig.value(index, o.epoch()), o.value(), 0.0);
            assertEquals(6, o.maxEpochs());
            double[] prefix = new double[o.epoch() - 1];
            for (int e = 1; e < o.epoch(); e++) {
                prefix[e - 1] = byConfig.value(index, e);
            }
            assertArrayEquals(prefix, o.curvePrefix(), 0.0, "prefix holds only epochs before " + o.epoch());
            String expectedKey = o.epoch() == 1 ? "ckpt:" + pool.get(index).startCheckpointId()
                    : "hub:" + index + ":" + (o.epoch() - 1);
            assertEquals(expectedKey, o.weightsKey(), "weights before the epoch");
        }
        for (ForecastQuery q : recorder.queries) {
            assertTrue(q.epoch() == q.curvePrefix().length + 1 || q.epoch() == 6);
            if (q.curvePrefix().length == 0) {
                assertTrue(q.weightsKey().equals("ckpt:501") || q.weightsKey().equals("ckpt:502"), q.weightsKey());
            } else {
                assertTrue(q.weightsKey().startsWith("hub:") && q.weightsKey().endsWith(":" + q.curvePrefix().length),
                        "latest weights for a candidate: " + q.weightsKey());
            }
        }
    }

    /** The pool index whose unit vector is {@code config} and start checkpoint matches an epoch-1 key. */
    private static int indexOf(CandidatePool pool, double[] config, String key, int epoch) {
        for (int i = 0; i < pool.size(); i++) {
            if (java.util.Arrays.equals(pool.get(i).unitVector(), config)) {
                if (epoch == 1 ? key.equals("ckpt:" + pool.get(i).startCheckpointId())
                        : key.startsWith("hub:" + i + ":")) {
                    return i;
                }
            }
        }
        throw new AssertionError("no pool entry for " + key);
    }

    @Test
    void aBadlyCalibratedForecasterHandsDecisionsToAshaAndTheStudyRemembers() {
        SyntheticCurves curves = new SyntheticCurves(150, 31, 2.0);
        StudySettings s = settings(150, 9, 2).toBuilder().warmupConfigs(10).build();
        Path db = dir.resolve("fallback.db");
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            FreezeThawPolicy policy = FreezeThawPolicy.builder(overconfidentForecaster())
                    .calibrationMinObservations(10).name("fms-bad").build();
            Study study = Study.open(store, "fallback", s, curves.pool(), policy);
            driver.run(study, 40);
            assertTrue(policy.hasFallenBack(), "fallback after poor calibration");
            assertTrue(policy.calibration().meanLogLikelihood()
                    < policy.referenceCalibration().meanLogLikelihood() - 0.5);
            var notes = store.events(study.studyId().orElseThrow()).stream()
                    .filter(e -> e.kind().equals("policy_note")).toList();
            assertEquals(1, notes.size());
            assertTrue(notes.get(0).payloadJson().contains("decisions handed to asha")
                    && notes.get(0).payloadJson().contains("log-likelihood"), notes.get(0).payloadJson());
        }
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            FreezeThawPolicy policy = FreezeThawPolicy.builder(overconfidentForecaster())
                    .calibrationMinObservations(10).name("fms-bad").build();
            Study study = Study.open(store, "fallback", s, curves.pool(), policy);
            assertTrue(policy.hasFallenBack(), "the fallback survives a restart");
            driver.run(study);
            assertEquals(150, study.spentEpochs());
            driver.assertExactAccounting(study);
        }
    }

    @Test
    void aForecasterThatThrowsOrReturnsNaNHandsOverToTheFallback() {
        SyntheticCurves curves = new SyntheticCurves(60, 31, 2.0);
        StudySettings s = settings(80, 9, 2).toBuilder().warmupConfigs(5).build();
        Forecaster nanAfterFit = new Forecaster() {
            @Override
            public void fit(List<CurveObservation> observations) {
            }

            @Override
            public List<Forecast> predict(List<ForecastQuery> queries) {
                return queries.stream().map(q -> new Forecast(Double.NaN, 1.0)).toList();
            }
        };
        Forecaster throwing = new Forecaster() {
            @Override
            public void fit(List<CurveObservation> observations) {
                throw new dev.dl4jfms.forecast.ForecastFailedException("Cholesky failed");
            }

            @Override
            public List<Forecast> predict(List<ForecastQuery> queries) {
                throw new AssertionError("never fitted");
            }
        };
        for (Forecaster f : List.of(nanAfterFit, throwing)) {
            FreezeThawPolicy policy = FreezeThawPolicy.builder(f).build();
            Study study = Study.inMemory(s, curves.pool(), policy);
            SegmentDriver driver = new SegmentDriver(curves, 2, 1);
            driver.run(study);
            assertTrue(policy.hasFallenBack());
            assertEquals(80, study.spentEpochs(), "Hyperband finished the budget");
            driver.assertExactAccounting(study);
        }
    }

    @Test
    void aForecasterBugPropagatesWithWhereTheStudyWasInsteadOfLookingLikePoorCalibration() {
        SyntheticCurves curves = new SyntheticCurves(40, 31, 2.0);
        StudySettings s = settings(60, 9, 2).toBuilder().warmupConfigs(4).build();
        Forecaster buggy = new Forecaster() {
            @Override
            public void fit(List<CurveObservation> observations) {
                throw new NullPointerException("weights of ckpt:17 not found");
            }

            @Override
            public List<Forecast> predict(List<ForecastQuery> queries) {
                throw new AssertionError("never fitted");
            }
        };
        FreezeThawPolicy policy = FreezeThawPolicy.builder(buggy).name("buggy").build();
        Study study = Study.inMemory(s, curves.pool(), policy);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new SegmentDriver(curves, 1, 1).run(study));
        assertFalse(policy.hasFallenBack(), "a bug is not poor calibration");
        assertTrue(e.getMessage().contains("policy buggy failed fitting the forecaster after 4 epochs")
                && e.getMessage().contains("newest trial: Trial[pool ")
                && e.getMessage().contains("weights of ckpt:17 not found"), e.getMessage());
        assertTrue(e.getCause() instanceof NullPointerException);
    }

    @Test
    void expectedImprovementMatchesNumericalIntegration() {
        double[][] cases = {{0.5, 0.1, 0.6}, {0.7, 0.05, 0.6}, {0.0, 1.0, 0.0}, {0.3, 0.2, 1.5}, {1.0, 0.3, -2.0}};
        for (double[] c : cases) {
            double mu = c[0];
            double sigma = c[1];
            double best = c[2];
            double integral = 0;
            int n = 200_000;
            double lo = mu - 12 * sigma;
            double h = 24 * sigma / n;
            for (int i = 0; i <= n; i++) {
                double y = lo + i * h;
                double w = (i == 0 || i == n) ? 0.5 : 1.0;
                double pdf = Math.exp(-0.5 * ((y - mu) / sigma) * ((y - mu) / sigma)) / (sigma * Math.sqrt(2 * Math.PI));
                integral += w * Math.max(y - best, 0) * pdf * h;
            }
            assertEquals(integral, ExpectedImprovement.of(mu, sigma, best), 1e-7, java.util.Arrays.toString(c));
        }
        assertEquals(0.0, ExpectedImprovement.of(0.5, 0.0, 0.6), 0.0);
        assertEquals(0.1, ExpectedImprovement.of(0.7, 0.0, 0.6), 1e-12);
    }

    /** Records what the policy feeds the forecaster; forecasts with the trend baseline. */
    static final class RecordingForecaster implements Forecaster {
        final PopulationTrendForecaster inner = new PopulationTrendForecaster();
        final List<CurveObservation> observations = new ArrayList<>();
        final List<ForecastQuery> queries = new ArrayList<>();

        @Override
        public void fit(List<CurveObservation> obs) {
            observations.clear();
            observations.addAll(obs);
            inner.fit(obs);
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> q) {
            queries.addAll(q);
            return inner.predict(q);
        }
    }

    /** Counts fits and the number of rows each fit saw. */
    static class FitCountingForecaster implements Forecaster {
        final PopulationTrendForecaster inner = new PopulationTrendForecaster();
        final List<Integer> rowsPerFit = new ArrayList<>();
        /** Observations behind each update, fit or conditioning, in order. */
        final List<Integer> rowsPerUpdate = new ArrayList<>();

        @Override
        public void fit(List<CurveObservation> obs) {
            rowsPerFit.add(obs.size());
            rowsPerUpdate.add(obs.size());
            inner.fit(obs);
        }

        @Override
        public void condition(List<CurveObservation> obs) {
            rowsPerUpdate.add(obs.size());
            inner.fit(obs); // the trend forecaster has no parameters to keep
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> q) {
            return inner.predict(q);
        }
    }

    @Test
    void refitEveryKFitsOnlyOnceKObservationsAreNewConditionsInBetweenAndStillSpendsTheBudget() {
        SyntheticCurves curves = new SyntheticCurves(40, 7, 0.9);
        StudySettings s = settings(60, 10, 3);
        FitCountingForecaster everyObservation = new FitCountingForecaster();
        Study a = Study.inMemory(s, curves.pool(), FreezeThawPolicy.builder(everyObservation).build());
        new SegmentDriver(curves, 1, 3).run(a);
        FitCountingForecaster everyFour = new FitCountingForecaster();
        Study b = Study.inMemory(s, curves.pool(), FreezeThawPolicy.builder(everyFour).refitEvery(4).build());
        new SegmentDriver(curves, 1, 3).run(b);
        assertEquals(60, a.spentEpochs());
        assertEquals(60, b.spentEpochs());
        for (int i = 1; i < everyFour.rowsPerFit.size(); i++) {
            int added = everyFour.rowsPerFit.get(i) - everyFour.rowsPerFit.get(i - 1);
            assertTrue(added >= 4, "fit " + i + " came after only " + added + " new observations");
        }
        assertTrue(everyFour.rowsPerFit.size() * 3 <= everyObservation.rowsPerFit.size(),
                "refitEvery(4): " + everyFour.rowsPerFit.size() + " fits vs " + everyObservation.rowsPerFit.size());
        // in between, the forecaster is conditioned on every new observation: as many updates as refits without k
        assertEquals(everyObservation.rowsPerUpdate, everyObservation.rowsPerFit, "k = 1: every update is a fit");
        assertTrue(everyFour.rowsPerUpdate.size() > everyFour.rowsPerFit.size());
        for (int i = 1; i < everyFour.rowsPerUpdate.size(); i++) {
            assertTrue(everyFour.rowsPerUpdate.get(i) > everyFour.rowsPerUpdate.get(i - 1), "updates only on news");
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FreezeThawPolicy.builder(new FitCountingForecaster()).refitEvery(0).build());
    }

    /** The population-trend forecast, each forecast passed through {@code distortion}: a miscalibrated forecaster. */
    static final class DistortedTrendForecaster implements Forecaster {
        final PopulationTrendForecaster inner = new PopulationTrendForecaster();
        final java.util.function.UnaryOperator<Forecast> distortion;

        DistortedTrendForecaster(java.util.function.UnaryOperator<Forecast> distortion) {
            this.distortion = distortion;
        }

        @Override
        public void fit(List<CurveObservation> observations) {
            inner.fit(observations);
        }

        @Override
        public List<Forecast> predict(List<ForecastQuery> queries) {
            return inner.predict(queries).stream().map(distortion).toList();
        }
    }

    /** A real but badly calibrated forecaster: the trend forecast shifted up by 0.2 with a 100x too small std. */
    static Forecaster overconfidentForecaster() {
        return new DistortedTrendForecaster(f -> new Forecast(f.mean() + 0.2, f.std() / 100));
    }
}
