package dev.dl4jfms.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.policy.HyperbandPolicy;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyPersistenceTest {

    @TempDir
    Path dir;

    private static final StudySettings SETTINGS = StudySettings.builder().budgetEpochs(60).maxEpochsPerTrial(9)
            .warmupConfigs(6).seed(21).poolSize(40).build();

    @Test
    void everyObservationAndDecisionIsInTheStore() {
        SyntheticCurves curves = new SyntheticCurves(40, 2, 0.85);
        try (CheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            Study study = Study.open(store, "full", SETTINGS, curves.pool(), new HyperbandPolicy());
            SegmentDriver driver = new SegmentDriver(curves, 2, 3);
            driver.run(study);
            long studyId = study.studyId().orElseThrow();
            int storedEpochs = 0;
            for (TrialRecord rec : store.trials(studyId)) {
                TrialState t = study.trial(Integer.parseInt(rec.label().substring("pool-".length())));
                assertEquals(t.trialId(), rec.id());
                assertEquals(t.status(), rec.status(), "store status of " + t);
                assertEquals(t.statusReason(), rec.statusReason());
                List<CheckpointRecord> cps = store.checkpoints(rec.id());
                assertEquals(t.epochsTrained(), cps.size());
                for (CheckpointRecord c : cps) {
                    assertEquals(t.rawValue(c.epoch()), c.metric(SETTINGS.metricName()), 0.0);
                    assertEquals(curves.trainLoss(t.poolIndex(), c.epoch()), c.metric(SETTINGS.trainLossName()),
                            0.0);
                }
                storedEpochs += cps.size();
            }
            assertEquals(study.spentEpochs(), storedEpochs);
            List<String> kinds = store.events(studyId).stream().map(EventRecord::kind).toList();
            assertEquals(driver.handedOut.size(), kinds.stream().filter("segment_started"::equals).count());
            assertEquals(driver.handedOut.size(), kinds.stream().filter("segment_finished"::equals).count());
            assertTrue(kinds.contains("incumbent") && kinds.contains("study_finished"), kinds.toString());
        }
    }

    @Test
    void aStudyDroppedMidSegmentResumesWithoutLosingOrRepeatingEpochs() {
        for (Supplier<Policy> policy : List.<Supplier<Policy>>of(HyperbandPolicy::new, RandomSearchPolicy::new,
                () -> FreezeThawPolicy.builder(new PopulationTrendForecaster()).name("fms-trend").build())) {
            SyntheticCurves curves = new SyntheticCurves(40, 6, 0.85);
            Path db = dir.resolve(policy.get().name() + ".db");
            SegmentDriver driver = new SegmentDriver(curves, 2, 9);
            long interruptedTrial;
            int interruptedDone;
            Long storedCheckpoint;
            String fingerprint;
            try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
                Study study = Study.open(store, "crashy", SETTINGS, curves.pool(), policy.get());
                fingerprint = study.pool().fingerprint();
                List<Segment> outstanding = driver.run(study, 5);
                assertEquals(2, outstanding.size(), "two segments running at the crash");
                // The executor of the first outstanding segment finished one epoch and stored it (as the capture
                // listener does), then the process died; the second one died before finishing an epoch.
                Segment s = outstanding.get(0);
                int completed = Math.max(1, s.epochs() - 1);
                Long last = null;
                for (int epoch = s.fromEpoch() + 1; epoch <= s.fromEpoch() + completed; epoch++) {
                    EpochResult e = driver.trainEpoch(s.poolIndex(), epoch);
                    last = store.putCheckpoint(s.trialId(), epoch, 0L, Map.of(SETTINGS.metricName(),
                            e.validation(), SETTINGS.trainLossName(), e.trainLoss()), null).id();
                }
                storedCheckpoint = last;
                interruptedTrial = s.trialId();
                interruptedDone = s.fromEpoch() + completed;
                assertTrue(store.trial(interruptedTrial).orElseThrow().status() == TrialStatus.RUNNING);
            } // the Study object is dropped without any further call

            try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
                Study resumed = Study.open(store, "crashy", SETTINGS,
                        new SyntheticCurves(40, 6, 0.85).pool(), policy.get());
                assertEquals(fingerprint, resumed.pool().fingerprint(), "same pool");
                assertEquals(driver.epochsTrained, resumed.spentEpochs(), "zero completed epochs lost");
                TrialState t = resumed.view().trials().stream()
                        .filter(x -> x.trialId() != null && x.trialId() == interruptedTrial).findFirst().orElseThrow();
                assertEquals(interruptedDone, t.epochsTrained());
                assertTrue(resumed.runningSegments().isEmpty());
                assertNotEquals(TrialStatus.RUNNING, t.status());
                List<String> kinds = store.events(resumed.studyId().orElseThrow()).stream()
                        .map(EventRecord::kind).toList();
                assertTrue(kinds.contains("study_resumed") && kinds.contains("segment_interrupted"), kinds.toString());
                // continue with the same driver so that repeated epochs would be counted twice
                List<Segment> before = List.copyOf(driver.handedOut);
                driver.run(resumed);
                var again = driver.handedOut.subList(before.size(), driver.handedOut.size()).stream()
                        .filter(seg -> seg.trialId() == interruptedTrial).findFirst();
                again.ifPresent(seg -> {
                    assertEquals(interruptedDone, seg.fromEpoch(), "resumes at its latest stored epoch");
                    assertEquals(storedCheckpoint, seg.resumeCheckpointId());
                });
                if (resumed.policy() instanceof RandomSearchPolicy) {
                    assertTrue(again.isPresent(), "random search continues the interrupted trial");
                    assertEquals(SETTINGS.maxEpochsPerTrial(), resumed.trial(t.poolIndex()).epochsTrained());
                }
                assertTrue(resumed.isFinished());
                assertEquals(SETTINGS.budgetEpochs(), resumed.spentEpochs());
                driver.assertExactAccounting(resumed);
            }
        }
    }

    @Test
    void hyperbandResumedAfterACrashEndsWhereAnUninterruptedRunEnds() {
        SyntheticCurves curves = new SyntheticCurves(40, 12, 2.0);
        Study reference = Study.inMemory(SETTINGS, curves.pool(), new HyperbandPolicy());
        new SegmentDriver(curves, 1, 1).run(reference);

        Path db = dir.resolve("hb.db");
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            Study study = Study.open(store, "hb", SETTINGS, curves.pool(), new HyperbandPolicy());
            driver.run(study, 15);
            Segment s = study.ask().orElseThrow(); // handed out, then the process dies before any epoch ends
            assertTrue(s.epochs() >= 1);
        }
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            Study resumed = Study.open(store, "hb", SETTINGS, curves.pool(), new HyperbandPolicy());
            driver.run(resumed);
            driver.assertExactAccounting(resumed);
            for (int i = 0; i < curves.points().size(); i++) {
                assertEquals(reference.trial(i).epochsTrained(), resumed.trial(i).epochsTrained(), "pool " + i);
                assertEquals(reference.trial(i).status(), resumed.trial(i).status(), "pool " + i);
            }
            assertEquals(reference.incumbent().orElseThrow().poolIndex(),
                    resumed.incumbent().orElseThrow().poolIndex());
        }
    }

    @Test
    void reopeningWithAnotherPoolOrSettingsIsRefusedWithAClearMessage() {
        SyntheticCurves curves = new SyntheticCurves(40, 2, 2.0);
        try (CheckpointStore store = SqliteCheckpointStore.open(dir.resolve("m.db"))) {
            Study.open(store, "s", SETTINGS, curves.pool(), new HyperbandPolicy());
            var otherPool = new SyntheticCurves(40, 3, 2.0).pool();
            var e1 = assertThrows(IllegalArgumentException.class,
                    () -> Study.open(store, "s", SETTINGS, otherPool, new HyperbandPolicy()));
            assertTrue(e1.getMessage().contains("pool"), e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> Study.open(store, "s",
                    SETTINGS.toBuilder().maxEpochsPerTrial(10).build(), curves.pool(), new HyperbandPolicy()));
            assertTrue(e2.getMessage().contains("only budgetEpochs may change"), e2.getMessage());
            // a larger budget is allowed
            Study more = Study.open(store, "s", SETTINGS.toBuilder().budgetEpochs(90).build(), curves.pool(),
                    new HyperbandPolicy());
            assertEquals(0, more.spentEpochs());
        }
    }

    @Test
    void aFinishedStudyGivenMoreBudgetContinuesItsBudgetStoppedTrials() {
        SyntheticCurves curves = new SyntheticCurves(150, 2, 2.0);
        Path db = dir.resolve("more.db");
        SegmentDriver driver = new SegmentDriver(curves, 1, 1);
        Policy fms = FreezeThawPolicy.builder(new PopulationTrendForecaster()).name("fms-trend").build();
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            Study study = Study.open(store, "s", SETTINGS, curves.pool(), fms);
            driver.run(study);
            assertTrue(study.view().trials().stream()
                    .anyMatch(t -> t.terminationReason() == TerminationReason.BUDGET_SPENT));
        }
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            Study study = Study.open(store, "s", SETTINGS.toBuilder().budgetEpochs(80).build(), curves.pool(),
                    FreezeThawPolicy.builder(new PopulationTrendForecaster()).name("fms-trend").build());
            assertTrue(study.view().trials().stream().noneMatch(
                    t -> t.terminationReason() == TerminationReason.BUDGET_SPENT));
            driver.run(study);
            assertEquals(80, study.spentEpochs());
            driver.assertExactAccounting(study);
        }
    }
}
