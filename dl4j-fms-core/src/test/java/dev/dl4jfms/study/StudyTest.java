package dev.dl4jfms.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.policy.AshaPolicy;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.policy.HyperbandPolicy;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.policy.SuccessiveHalvingPolicy;
import dev.dl4jfms.policy.TopKAfterOneEpochPolicy;
import dev.dl4jfms.store.TrialStatus;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StudyTest {

    private static StudySettings settings(int budget, int bMax) {
        return StudySettings.builder().budgetEpochs(budget).maxEpochsPerTrial(bMax).warmupConfigs(8).seed(7)
                .poolSize(60).build();
    }

    private static List<Supplier<Policy>> allPolicies() {
        return List.of(RandomSearchPolicy::new, () -> new TopKAfterOneEpochPolicy(3, 20),
                SuccessiveHalvingPolicy::new, HyperbandPolicy::new, AshaPolicy::new,
                () -> FreezeThawPolicy.builder(new PopulationTrendForecaster()).build());
    }

    @Test
    void everyPolicyChargesExactlyTheEpochsTrainedAndNeverHandsOutARunningTrial() {
        SyntheticCurves curves = new SyntheticCurves(60, 3, 0.9);
        for (Supplier<Policy> p : allPolicies()) {
            for (int workers : new int[]{1, 4}) {
                Study study = Study.inMemory(settings(97, 9), curves.pool(), p.get());
                SegmentDriver driver = new SegmentDriver(curves, workers, 11);
                driver.run(study);
                String what = study.policy().name() + " with " + workers + " workers";
                assertTrue(study.isFinished(), what);
                driver.assertExactAccounting(study);
                assertTrue(study.spentEpochs() <= 97, what + " overspent: " + study.spentEpochs());
                for (TrialState t : study.view().trials()) {
                    assertTrue(t.epochsTrained() <= 9, what + ": " + t);
                    assertFalse(t.isRunning(), what + ": " + t);
                }
            }
        }
    }

    @Test
    void budgetIsSpentExactlyWhenThePoolIsLargeEnough() {
        SyntheticCurves curves = new SyntheticCurves(60, 4, 2.0); // no divergence
        List<Supplier<Policy>> policies = new java.util.ArrayList<>(allPolicies());
        policies.set(1, () -> TopKAfterOneEpochPolicy.forBudget(settings(50, 9), 60, 3)); // 26 screened + 3 x 8
        for (Supplier<Policy> p : policies) {
            Study study = Study.inMemory(settings(50, 9), curves.pool(), p.get());
            SegmentDriver driver = new SegmentDriver(curves, 3, 5);
            driver.run(study);
            assertEquals(50, study.spentEpochs(), study.policy().name());
            driver.assertExactAccounting(study);
            // once finished on budget, paused trials are stopped with the budget as reason
            for (TrialState t : study.view().trials()) {
                assertFalse(t.status() == TrialStatus.PAUSED || t.status() == TrialStatus.RUNNING, t.toString());
                if (t.status() == TrialStatus.STOPPED && t.terminationReason() == TerminationReason.BUDGET_SPENT) {
                    assertTrue(t.statusReason().startsWith("BUDGET_SPENT"), t.statusReason());
                }
            }
        }
    }

    @Test
    void randomSearchTrainsEachPickToMaxEpochsInOneSegment() {
        SyntheticCurves curves = new SyntheticCurves(40, 5, 2.0);
        Study study = Study.inMemory(settings(45, 9), curves.pool(), new RandomSearchPolicy());
        SegmentDriver driver = new SegmentDriver(curves, 2, 1);
        driver.run(study);
        long finished = study.view().trials().stream().filter(t -> t.status() == TrialStatus.FINISHED).count();
        assertEquals(5, finished); // 45 = 5 x 9
        for (Segment s : driver.handedOut) {
            assertEquals(0, s.fromEpoch());
            assertEquals(9, s.toEpoch());
        }
        for (TrialState t : study.view().trials()) {
            if (t.status() == TrialStatus.FINISHED) {
                assertEquals(TerminationReason.REACHED_MAX_EPOCHS, t.terminationReason());
            }
        }
    }

    @Test
    void segmentsClipToTheRemainingBudget() {
        SyntheticCurves curves = new SyntheticCurves(10, 5, 2.0);
        Study study = Study.inMemory(settings(12, 9), curves.pool(), new RandomSearchPolicy());
        Segment first = study.ask().orElseThrow();
        Segment second = study.ask().orElseThrow();
        assertEquals(9, first.epochs());
        assertEquals(3, second.epochs(), "only 3 epochs of budget were left to grant");
        assertTrue(study.ask().isEmpty(), "whole budget granted");
        assertFalse(study.isFinished(), "segments outstanding");
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        study.tell(driver.train(second, second.toEpoch()));
        study.tell(driver.train(first, first.toEpoch()));
        assertTrue(study.isFinished());
        assertEquals(12, study.spentEpochs());
        assertEquals(TrialStatus.STOPPED, study.trial(second.poolIndex()).status());
        assertEquals(TerminationReason.BUDGET_SPENT, study.trial(second.poolIndex()).terminationReason());
    }

    @Test
    void divergentTrialsAreRecordedAndTheStudyGoesOn() {
        SyntheticCurves curves = new SyntheticCurves(60, 8, 0.6); // ~40% diverge
        Study study = Study.inMemory(settings(120, 9), curves.pool(), new RandomSearchPolicy());
        SegmentDriver driver = new SegmentDriver(curves, 2, 3);
        driver.run(study);
        long diverged = 0;
        for (TrialState t : study.view().trials()) {
            if (t.status() == TrialStatus.DIVERGED) {
                diverged++;
                assertTrue(curves.diverges(t.poolIndex()));
                assertEquals(TerminationReason.DIVERGED, t.terminationReason());
                assertTrue(t.statusReason().contains("epoch " + t.epochsTrained()), t.statusReason());
                assertTrue(Double.isNaN(t.value(t.epochsTrained())));
            }
        }
        assertTrue(diverged >= 2, "expected divergent trials, got " + diverged);
        assertEquals(120, study.spentEpochs(), "study continued after divergence until its budget was spent");
        Incumbent inc = study.incumbent().orElseThrow();
        assertTrue(Double.isFinite(inc.value()));
        driver.assertExactAccounting(study);
    }

    @Test
    void failedSegmentsChargeCompletedEpochsAndTheStudyGoesOn() {
        SyntheticCurves curves = new SyntheticCurves(10, 5, 2.0);
        Study study = Study.inMemory(settings(30, 9), curves.pool(), new RandomSearchPolicy());
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        Segment s = study.ask().orElseThrow();
        study.tell(SegmentResult.failed(s, List.of(driver.trainEpoch(s.poolIndex(), 1),
                driver.trainEpoch(s.poolIndex(), 2)), "OutOfMemoryError"));
        TrialState t = study.trial(s.poolIndex());
        assertEquals(TrialStatus.FAILED, t.status());
        assertTrue(t.statusReason().contains("OutOfMemoryError"), t.statusReason());
        assertEquals(2, study.spentEpochs());
        driver.run(study);
        assertEquals(30, study.spentEpochs());
        driver.assertExactAccounting(study);
    }

    @Test
    void malformedOrRepeatedResultsAreRejectedWithoutChangingTheStudy() {
        SyntheticCurves curves = new SyntheticCurves(10, 5, 2.0);
        Study study = Study.inMemory(settings(30, 9), curves.pool(), new RandomSearchPolicy());
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        Segment s = study.ask().orElseThrow();
        var wrongStart = SegmentResult.ok(s, List.of(EpochResult.of(2, 0.5, 0.4)));
        assertThrows(IllegalArgumentException.class, () -> study.tell(wrongStart));
        var unknown = new SegmentResult(s.segmentId() + 1000, SegmentResult.Status.OK, null, List.of());
        assertThrows(IllegalArgumentException.class, () -> study.tell(unknown));
        assertEquals(0, study.spentEpochs());
        study.tell(driver.train(s, s.toEpoch()));
        var again = driver.train(s, 1);
        assertThrows(IllegalArgumentException.class, () -> study.tell(again));
        assertEquals(9, study.spentEpochs());
    }

    @Test
    void lossMinimisationIsNormalisedToHigherIsBetter() {
        SyntheticCurves curves = new SyntheticCurves(20, 5, 2.0);
        StudySettings s = settings(40, 4).toBuilder().metric("val_loss", MetricDirection.MINIMIZE).build();
        Study study = Study.inMemory(s, curves.pool(), new AshaPolicy());
        SegmentDriver.Curves loss = (i, e) -> 1.0 - curves.value(i, e); // a loss: lower is better
        new SegmentDriver(loss, 2, 3).run(study);
        Incumbent inc = study.incumbent().orElseThrow();
        double lowest = Double.POSITIVE_INFINITY;
        for (TrialState t : study.view().trials()) {
            for (int e = 1; e <= t.epochsTrained(); e++) {
                lowest = Math.min(lowest, t.rawValue(e));
                assertEquals(-t.rawValue(e), t.value(e), 0.0);
            }
        }
        assertEquals(lowest, inc.rawValue(), 0.0);
        assertEquals(1.0 - curves.value(inc.poolIndex(), inc.epoch()), inc.rawValue(), 1e-12);
    }

    @Test
    void incumbentIsTheBestValidationValueAndTestIsOnlyRecorded() {
        SyntheticCurves curves = new SyntheticCurves(30, 9, 2.0);
        Study study = Study.inMemory(settings(60, 6), curves.pool(), new HyperbandPolicy());
        new SegmentDriver(curves, 1, 1).run(study);
        Incumbent inc = study.incumbent().orElseThrow();
        double best = Double.NEGATIVE_INFINITY;
        for (TrialState t : study.view().trials()) {
            best = Math.max(best, t.bestValue() >= 0 ? t.bestValue() : Double.NEGATIVE_INFINITY);
        }
        assertEquals(best, inc.value(), 0.0);
        assertEquals(curves.test(inc.poolIndex(), inc.epoch()), inc.testValue(), 1e-12);
        assertNotNull(study.trial(inc.poolIndex()).trialId());
        assertNull(study.studyId().orElse(null));
    }

    @Test
    void perFidelityIncumbentFollowsTheSpec() {
        SyntheticCurves curves = new SyntheticCurves(10, 5, 2.0);
        Study study = Study.inMemory(settings(30, 9), curves.pool(), new TopKAfterOneEpochPolicy(1, 3));
        assertTrue(Double.isNaN(study.view().incumbentAtEpoch(1)), "no observation yet");
        new SegmentDriver(curves, 1, 1).run(study);
        StudyView v = study.view();
        for (int e = 1; e <= 9; e++) {
            double expected = Double.NEGATIVE_INFINITY;
            for (TrialState t : v.trials()) {
                if (t.epochsTrained() >= e) {
                    expected = Math.max(expected, t.value(e));
                }
            }
            assertEquals(expected, v.incumbentAtEpoch(e), 0.0, "epoch " + e);
        }
        assertEquals(v.incumbent().orElseThrow().value(), v.incumbentAtEpoch(10), 0.0, "beyond any observation");
    }

    @Test
    void concurrentWorkerThreadsNeverShareATrial() throws Exception {
        SyntheticCurves curves = new SyntheticCurves(80, 13, 0.9);
        for (Supplier<Policy> p : allPolicies()) {
            Study study = Study.inMemory(settings(150, 9), curves.pool(), p.get());
            java.util.Set<Long> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger trained = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<String> problem = new java.util.concurrent.atomic.AtomicReference<>();
            Runnable worker = () -> {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!study.isFinished() && System.nanoTime() < deadline) {
                    var next = study.ask();
                    if (next.isEmpty()) {
                        Thread.onSpinWait();
                        continue;
                    }
                    Segment s = next.get();
                    if (!running.add(s.trialId())) {
                        problem.set("trial " + s.trialId() + " handed out twice concurrently");
                    }
                    List<EpochResult> epochs = new java.util.ArrayList<>();
                    for (int e = s.fromEpoch() + 1; e <= s.toEpoch(); e++) {
                        epochs.add(new EpochResult(e, curves.value(s.poolIndex(), e), null,
                                curves.trainLoss(s.poolIndex(), e), null, null, null));
                        trained.incrementAndGet();
                        if (epochs.get(epochs.size() - 1).diverged()) {
                            break;
                        }
                    }
                    running.remove(s.trialId());
                    study.tell(SegmentResult.ok(s, epochs));
                }
            };
            List<Thread> threads = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(worker, "worker-" + i);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            String what = study.policy().name();
            assertNull(problem.get(), what);
            assertTrue(study.isFinished(), what);
            assertEquals(trained.get(), study.spentEpochs(), what);
            assertTrue(study.spentEpochs() <= 150, what);
        }
    }
}
