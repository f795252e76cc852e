package dev.dl4jfms.listeners.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.arbiter.ArbiterTrialStop;
import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsTerminationCondition;
import dev.dl4jfms.arbiter.SegmentReport;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.Termination;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TerminationReason;
import dev.dl4jfms.study.TrialState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Issue 18: Arbiter's real {@link LocalOptimizationRunner} hears of every stop. A scripted policy (one task at a
 * time, so the order is fixed) stops pool 1 on its own first result, pool 0 later (while it is paused), trains pool 3
 * to B_max and leaves pools 2 and 4 paused when the budget runs out.
 */
class RunnerHearsStopsTest {

    @TempDir
    Path dir;

    /** Candidates in the order the script hands them out (one task at a time): pool 0, 1, 2, 3, 3, 3, 4. */
    private static final int[] POOL_OF_CANDIDATE = {0, 1, 2, 3, 3, 3, 4};

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void stopsOnATasksOwnResultComeBackCancelledAndLaterStopsReachTheStatusListeners() throws Exception {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("fms.db"))) {
            FmsCandidateGenerator generator = FmsCandidateGenerator.builder(FmsArbiterRunTest.mlpSpace())
                    .store(store).studyName("stops").budgetEpochs(7).maxEpochsPerTrial(3).poolSize(6).seed(5)
                    .policy(new ScriptedStops()).build();
            List<ArbiterTrialStop> generatorStops = Collections.synchronizedList(new ArrayList<>());
            generator.addStopListener(generatorStops::add);
            OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                    .candidateGenerator(generator)
                    .dataProvider(new FashionMnistDataProvider(300, 100, 100))
                    .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                    .terminationConditions(new FmsTerminationCondition()).build();
            LocalOptimizationRunner runner = new LocalOptimizationRunner(1, conf,
                    new FmsTaskCreator(store, ValidationMetric.ACCURACY));
            Map<Integer, OptimizationResult> results = Collections.synchronizedMap(new HashMap<>());
            List<CandidateInfo> announced = Collections.synchronizedList(new ArrayList<>());
            runner.addListeners(new BaseStatusListener() {
                @Override
                public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner r,
                                                    OptimizationResult result) {
                    if (result != null) {
                        results.put(info.getIndex(), result);
                    } else if (info.getCandidateStatus() == CandidateStatus.Cancelled) {
                        announced.add(info);
                    }
                }
            });
            runner.execute();

            assertEquals(7, generator.spentEpochs());
            assertEquals(7, results.size(), "one result per candidate");
            Map<Integer, CandidateInfo> table = new HashMap<>();
            for (CandidateInfo info : runner.getCandidateStatus()) {
                table.put(info.getIndex(), info);
            }
            // Stopped on its own result: the task itself returned Cancelled with the reason, score null.
            CandidateInfo pool1 = table.get(1);
            assertEquals(CandidateStatus.Cancelled, pool1.getCandidateStatus());
            assertNull(pool1.getScore());
            assertTrue(pool1.getExceptionStackTrace().startsWith("DOMINATED: ")
                    && pool1.getExceptionStackTrace().contains("on its own result"), pool1.getExceptionStackTrace());
            assertEquals(SegmentReport.Status.COMPLETED,
                    ((SegmentReport) results.get(1).getModelSpecificResults()).status(), "the epoch was trained");
            // Trained to B_max: the last segment is Complete with its score; so are segments of trials that go on.
            for (int c : new int[]{0, 2, 3, 4, 5, 6}) {
                assertEquals(CandidateStatus.Complete, table.get(c).getCandidateStatus(), "candidate " + c);
                assertNotNull(table.get(c).getScore());
            }
            // Stopped later, while paused: announced to the status listeners with the candidate that trained it last.
            Map<Integer, String> later = new HashMap<>();
            for (CandidateInfo info : announced) {
                assertNull(later.put(info.getIndex(), info.getExceptionStackTrace()), "announced once: " + info);
                assertNull(info.getScore());
            }
            assertEquals(3, later.size(), "pool 0 dominated later, pools 2 and 4 out of budget: " + later);
            assertEquals(java.util.Set.of(0, 2, 6), later.keySet(), later.toString());
            assertTrue(later.get(0).startsWith("DOMINATED: ") && later.get(0).contains("while paused"), later.get(0));
            assertTrue(later.get(2).startsWith("BUDGET_SPENT: "), later.get(2));
            assertTrue(later.get(6).startsWith("BUDGET_SPENT: "), later.get(6));
            // The generator's own listener hears every end, REACHED_MAX_EPOCHS included, each once.
            Map<Integer, ArbiterTrialStop> byPool = new HashMap<>();
            for (ArbiterTrialStop s : generatorStops) {
                assertNull(byPool.put(s.stop().poolIndex(), s), "one stop per trial");
                assertEquals(POOL_OF_CANDIDATE[s.candidateIndex()], s.stop().poolIndex());
            }
            assertEquals(5, byPool.size(), byPool.toString());
            assertTrue(byPool.get(1).reportedByTask());
            assertTrue(byPool.get(3).reportedByTask());
            assertEquals(TerminationReason.REACHED_MAX_EPOCHS, byPool.get(3).stop().reason());
            assertTrue(!byPool.get(0).reportedByTask() && !byPool.get(2).reportedByTask()
                    && !byPool.get(4).reportedByTask());
            // The store agrees.
            long studyId = store.studyByName("stops").orElseThrow().id();
            Map<Integer, TrialStatus> stored = new HashMap<>();
            for (TrialRecord t : store.trials(studyId)) {
                stored.put(generator.study().view().trials().stream().filter(s -> t.id() == s.trialId())
                        .findFirst().orElseThrow().poolIndex(), t.status());
            }
            assertEquals(Map.of(0, TrialStatus.STOPPED, 1, TrialStatus.STOPPED, 2, TrialStatus.STOPPED,
                    3, TrialStatus.FINISHED, 4, TrialStatus.STOPPED), stored);
        }
    }

    /** Trains pools 0, 1, 2 one epoch, pool 3 to B_max, then pool 4; stops pool 1 at once and pool 0 later. */
    static final class ScriptedStops implements Policy {
        @Override
        public String name() {
            return "scripted-stops";
        }

        @Override
        public Decision decide(StudyView study) {
            int bMax = study.settings().maxEpochsPerTrial();
            List<Termination> stops = new ArrayList<>();
            TrialState p0 = study.trial(0);
            TrialState p1 = study.trial(1);
            if (p1.epochsTrained() == 1 && p1.canContinue(bMax)) {
                stops.add(new Termination(1, TerminationReason.DOMINATED, "scripted: on its own result"));
            }
            if (study.trial(2).epochsTrained() == 1 && p0.canContinue(bMax)) {
                stops.add(new Termination(0, TerminationReason.DOMINATED, "scripted: later, while paused"));
            }
            Decision next = Decision.done();
            for (int p : new int[]{0, 1, 2}) {
                if (study.trial(p).epochsTrained() == 0 && study.trial(p).canContinue(bMax)) {
                    next = Decision.train(p, 1, "scripted warm-up");
                    break;
                }
            }
            if (next.action() == Decision.Action.DONE) {
                TrialState p3 = study.trial(3);
                TrialState p4 = study.trial(4);
                if (p3.canContinue(bMax)) {
                    next = Decision.train(3, p3.epochsTrained() + 1, "scripted: pool 3 to B_max");
                } else if (p4.canContinue(bMax) && p4.epochsTrained() == 0) {
                    next = Decision.train(4, 1, "scripted: pool 4");
                } else if (study.runningCount() > 0 || p3.isRunning()) {
                    next = Decision.waitForResults();
                }
            }
            if (next.action() == Decision.Action.DONE && study.runningCount() > 0) {
                next = Decision.waitForResults();
            }
            return next.withTerminations(stops);
        }
    }
}
