package dev.dl4jfms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dl4jfms.arbiter.FmsPolicies;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A study killed with SIGKILL in the middle of an Arbiter run (two segments training) and started again with the
 * same store finishes without losing or retraining any stored epoch: every checkpoint stored before the kill is
 * still there unchanged, no (trial, epoch) has two checkpoints, the pool is the same, exactly the budget is charged
 * and every blob verifies. Once with the random policy, once with the model-based freeze-thaw policy
 * {@code fms-stats} (deep-kernel GP + layer statistics of the stored checkpoints), whose resumed run must refit the
 * GP on the store's observations and keep choosing segments by expected improvement.
 */
class KillResumeStudyTest {

    static {
        // the examples jar's simplelogger.properties hides INFO; these tests' summaries are worth seeing in CI logs
        System.setProperty("org.slf4j.simpleLogger.log.dev.dl4jfms.it", "info");
    }

    private static final Logger log = LoggerFactory.getLogger(KillResumeStudyTest.class);
    private static final int KILL_AFTER_SPENT = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the parent sees of one child JVM. */
    private static final class Child {
        final Process process;
        final Thread reader;
        final StringBuilder output = new StringBuilder();
        volatile String pool;
        volatile int spent = -1;
        volatile int done = -1;

        Child(Path db, String policy) throws IOException {
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            process = new ProcessBuilder(java.toString(), "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2g",
                    "-Dorg.bytedeco.javacpp.maxphysicalbytes=4g", "-cp", classPath,
                    StudyChildMain.class.getName(), db.toString(), policy).redirectErrorStream(true).start();
            reader = new Thread(this::read, "study-child-output");
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("POOL ")) {
                        pool = line.substring(5).trim();
                    } else if (line.startsWith("SPENT ")) {
                        spent = Integer.parseInt(line.substring(6).trim());
                    } else if (line.startsWith("DONE ")) {
                        done = Integer.parseInt(line.substring(5).trim());
                    } else {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // the stream closes when the child dies
            }
        }

        String tail() {
            synchronized (output) {
                return output.substring(Math.max(0, output.length() - 6000));
            }
        }

        /** Up to 6000 characters of output from the first line containing {@code marker}, or "". */
        String from(String marker) {
            synchronized (output) {
                int at = output.indexOf(marker);
                return at < 0 ? "" : output.substring(at, Math.min(output.length(), at + 6000));
            }
        }
    }

    /** The two child JVMs of one kill-and-resume run (both finished). */
    private record Run(Child first, Child second) {
        /** Both children's output from {@code marker} on, for failure messages. */
        String outputFrom(String marker) {
            return "first run:\n" + first.from(marker) + "\nresumed run:\n" + second.from(marker);
        }
    }

    /** Identity of a stored checkpoint row. */
    private record Row(long id, long trialId, int epoch, String sha256) {
        static Row of(CheckpointRecord r) {
            return new Row(r.id(), r.trialId(), r.epoch(), r.sha256());
        }
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void killedStudyResumesWithoutLosingOrRetrainingEpochs(@TempDir Path tmp) throws Exception {
        killAndResume(tmp.resolve("study.db"), StudyChildMain.RANDOM);
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void killedFreezeThawStudyRefitsItsForecasterAndKeepsDecidingByExpectedImprovement(@TempDir Path tmp)
            throws Exception {
        String policy = FmsPolicies.FMS_STATISTICS;
        Path db = tmp.resolve("fms.db");
        Run run = killAndResume(db, policy);

        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            StudyRecord study = store.studyByName(StudyChildMain.studyName(policy)).orElseThrow();
            List<EventRecord> events = store.events(study.id());
            int resumedAt = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).kind().equals("study_resumed")) {
                    resumedAt = i;
                }
            }
            int eiBefore = 0;
            int eiAfter = 0;
            List<String> otherAfter = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                EventRecord e = events.get(i);
                if (!e.kind().equals("segment_started")) {
                    continue;
                }
                String rationale = JSON.readTree(e.payloadJson()).path("rationale").asText();
                assertTrue(rationale.startsWith(policy + ": "), "decided by the policy: " + rationale);
                boolean ei = rationale.startsWith(policy + ": EI ");
                if (i < resumedAt) {
                    eiBefore += ei ? 1 : 0;
                } else if (ei) {
                    eiAfter++;
                } else {
                    otherAfter.add(rationale);
                }
            }
            List<String> fallbacks = new ArrayList<>();
            for (EventRecord e : events) {
                if (e.kind().equals("policy_note")) {
                    var note = JSON.readTree(e.payloadJson());
                    if (note.path("kind").asText().equals("fallback")) {
                        fallbacks.add(note.path("message").asText());
                    }
                }
            }
            log.info("{}: {} EI decisions before the kill, {} after the restart, other decisions after: {}, "
                    + "fallback notes: {}", policy, eiBefore, eiAfter, otherAfter, fallbacks);
            for (String f : fallbacks) {
                assertTrue(f.contains("poorly calibrated"), "a fallback only on calibration, never on a failed "
                        + "forecaster: " + f + "\n" + run.outputFrom("forecaster of policy"));
            }
            assertTrue(eiBefore >= 1, "the first run decided by EI before the kill: " + eiBefore);
            if (fallbacks.isEmpty()) {
                // every epoch after the restart was chosen by the refitted GP (warm-up was over before the kill)
                assertEquals(List.of(), otherAfter, "only EI decisions after the restart");
                assertTrue(eiAfter >= 5, "the resumed study kept deciding by EI: " + eiAfter);
            }
        }
    }

    /**
     * Runs the study of {@code policy} in a child JVM, kills it mid-run, restarts it on the same store and checks
     * that no epoch was lost or trained twice.
     */
    private static Run killAndResume(Path db, String policy) throws Exception {
        Child first = new Child(db, policy);
        int spentBeforeKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (first.spent < KILL_AFTER_SPENT) {
                if (!first.process.isAlive()) {
                    fail("first child exited with " + first.process.exitValue() + " before the kill:\n"
                            + first.tail());
                }
                if (System.nanoTime() > deadline) {
                    fail("first child charged only " + first.spent + " epochs in 300 s:\n" + first.tail());
                }
                Thread.sleep(20);
            }
            Thread.sleep(300); // let the running segments store some of their epochs, then kill mid-segment
            spentBeforeKill = first.spent;
        } finally {
            first.process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
            assertTrue(first.process.waitFor(60, TimeUnit.SECONDS));
            first.reader.join(10_000);
        }
        assertEquals(137, first.process.exitValue(), "killed by SIGKILL");
        assertEquals(-1, first.done, "the kill came before the study finished");

        List<Row> beforeResume = new ArrayList<>();
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            StudyRecord study = store.studyByName(StudyChildMain.studyName(policy)).orElseThrow();
            int running = 0;
            for (TrialRecord t : store.trials(study.id())) {
                store.checkpoints(t.id()).forEach(c -> beforeResume.add(Row.of(c)));
                if (t.status() == TrialStatus.RUNNING) {
                    running++;
                }
            }
            log.info("{}: killed after {} reported epochs: {} checkpoints stored, {} trials RUNNING at the kill",
                    policy, spentBeforeKill, beforeResume.size(), running);
        }
        assertTrue(beforeResume.size() >= spentBeforeKill, "every reported epoch was stored before the kill: "
                + beforeResume.size() + " < " + spentBeforeKill);
        assertTrue(beforeResume.size() < StudyChildMain.BUDGET, "killed mid-run, " + beforeResume.size());

        Child second = new Child(db, policy);
        assertTrue(second.process.waitFor(400, TimeUnit.SECONDS), "resumed study finished:\n" + second.tail());
        second.reader.join(10_000);
        assertEquals(0, second.process.exitValue(), second.tail());
        assertEquals(first.pool, second.pool, "same pool after the restart");
        assertEquals(StudyChildMain.BUDGET, second.done, "the resumed study charged exactly the budget");

        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            StudyRecord study = store.studyByName(StudyChildMain.studyName(policy)).orElseThrow();
            Map<Long, Row> after = new HashMap<>();
            Set<String> trialEpochs = new HashSet<>();
            int charged = 0;
            for (TrialRecord t : store.trials(study.id())) {
                List<CheckpointRecord> curve = store.checkpoints(t.id());
                for (int i = 0; i < curve.size(); i++) {
                    CheckpointRecord c = curve.get(i);
                    assertTrue(trialEpochs.add(t.id() + "/" + c.epoch()),
                            "trial " + t.id() + " epoch " + c.epoch() + " has two checkpoints (trained twice)");
                    assertEquals(i + 1, c.epoch(), "gap-free curve of trial " + t.id());
                    assertTrue(c.hasWeights());
                    assertTrue(Double.isFinite(c.metric("val_accuracy")));
                    store.readSnapshot(c); // verifies the blob's SHA-256
                    after.put(c.id(), Row.of(c));
                }
                charged += curve.size();
                assertTrue(t.status() != TrialStatus.RUNNING && t.status() != TrialStatus.FAILED,
                        "trial " + t.id() + " " + t.status() + ": " + t.statusReason());
            }
            for (Row r : beforeResume) {
                assertEquals(r, after.get(r.id()), "checkpoint stored before the kill kept unchanged");
            }
            assertEquals(StudyChildMain.BUDGET, charged, "stored epochs == budget: none lost, none twice");
            List<String> kinds = store.events(study.id()).stream().map(EventRecord::kind).toList();
            assertTrue(kinds.contains("study_resumed"), kinds.toString());
            assertTrue(kinds.contains("study_finished"), kinds.toString());
        }
        return new Run(first, second);
    }
}
