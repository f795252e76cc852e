package dev.dl4jfms.it;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.ModelSnapshots;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SnapshotBlobFormat;
import dev.dl4jfms.store.SqliteCheckpointStore;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills (SIGKILL) a training JVM while its capture listener is writing checkpoints every 2 iterations, then checks
 * the store: it opens, holds at least every checkpoint the child saw acknowledged, every row's blob exists and
 * verifies (no half-written checkpoint visible), leftover temporary files break nothing, and it accepts new writes.
 */
class KillDuringCaptureTest {

    private static final Logger log = LoggerFactory.getLogger(KillDuringCaptureTest.class);

    /** Kill delays after the 20th acknowledged write: each round hits the writer at a different moment. */
    private static final long[] KILL_DELAYS_MS = {0, 13, 71};

    @Test
    void storeSurvivesKillMinusNineDuringCapture(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("killed.db");
        for (int round = 0; round < KILL_DELAYS_MS.length; round++) {
            long trialId;
            try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
                long study = store.createStudy("kill-9-round-" + round, null).id();
                trialId = store.createTrial(study, new NewTrial("{}", null, null, null, "child")).id();
            }
            long acknowledged = runAndKillChild(db, trialId, KILL_DELAYS_MS[round]);
            verifyAfterKill(db, trialId, acknowledged);
        }
    }

    private static long runAndKillChild(Path db, long trialId, long killDelayMs) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=4g", "-cp", classPath,
                CaptureChildMain.class.getName(), db.toString(), Long.toString(trialId))
                .redirectErrorStream(true).start();
        AtomicLong acknowledged = new AtomicLong();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("WRITTEN ")) {
                        acknowledged.set(Long.parseLong(line.substring(8).trim()));
                    } else {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // the stream closes when the child dies
            }
        }, "child-output");
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acknowledged.get() < 20) {
                if (!child.isAlive()) {
                    fail("child exited with " + child.exitValue() + " before writing checkpoints:\n" + output);
                }
                if (System.nanoTime() > deadline) {
                    fail("child wrote only " + acknowledged.get() + " checkpoints in 120 s:\n" + output);
                }
                Thread.sleep(5);
            }
            Thread.sleep(killDelayMs);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        return acknowledged.get();
    }

    private static void verifyAfterKill(Path db, long trialId, long seen) throws IOException {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            List<CheckpointRecord> rows = store.checkpoints(trialId);
            log.info("child acknowledged {} checkpoints before the kill; the store holds {}", seen, rows.size());
            assertTrue(rows.size() >= seen, "store lost acknowledged checkpoints: " + rows.size() + " < " + seen);
            Set<Path> referenced = new HashSet<>();
            INDArray probe = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 784);
            long previousIteration = 0;
            for (CheckpointRecord row : rows) {
                assertTrue(row.hasWeights(), "row without blob: " + row);
                assertTrue(Files.isRegularFile(row.blobPath()), "row " + row.id() + " points to a missing blob");
                assertEquals(row.byteSize(), Files.size(row.blobPath()), "blob size of row " + row.id());
                ModelSnapshot snapshot = store.readSnapshot(row); // verifies SHA-256
                assertEquals(row.iteration(), snapshot.iterationCount());
                assertTrue(row.iteration() >= previousIteration, "iterations never decrease");
                previousIteration = row.iteration();
                referenced.add(row.blobPath().toAbsolutePath().normalize());
            }
            MultiLayerNetwork last = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(rows.get(rows.size() - 1)));
            assertFalse(last.output(probe, false).isNaN().any(), "restored network computes finite outputs");

            // Whatever the kill left in the blob folder (a .tmp, or a renamed blob whose row never committed) is
            // invisible: no row points to it. The sweep removes temporaries without touching committed blobs.
            List<Path> files;
            try (Stream<Path> walk = Files.walk(store.blobFolder())) {
                files = walk.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).toList();
            }
            for (var study : store.studies()) {
                for (var trial : store.trials(study.id())) {
                    store.checkpoints(trial.id()).forEach(r -> referenced.add(r.blobPath().toAbsolutePath().normalize()));
                }
            }
            List<Path> unreferenced = files.stream().filter(p -> !referenced.contains(p)).toList();
            log.info("blob folder after the kill: {} files, unreferenced (left by in-flight writes): {}",
                    files.size(), unreferenced.stream().map(p -> p.getFileName().toString()).toList());
            // one writer per child, so each kill can leave at most one in-flight blob behind
            assertTrue(unreferenced.size() <= KILL_DELAYS_MS.length, "unexpected leftovers " + unreferenced);
            store.sweepTemporaryBlobs(Duration.ZERO);
            try (Stream<Path> walk = Files.walk(store.blobFolder())) {
                assertTrue(walk.noneMatch(p -> p.toString().endsWith(SnapshotBlobFormat.TEMP_SUFFIX)));
            }
            for (CheckpointRecord row : store.checkpoints(trialId)) {
                store.readSnapshot(row);
            }
            // and the store accepts new checkpoints after the crash
            CheckpointRecord added = store.putCheckpoint(trialId, 1000, previousIteration + 1,
                    Map.of("train_loss", 0.5), store.readSnapshot(rows.get(0)));
            assertEquals(rows.get(0).sha256(), added.sha256());
            assertEquals(rows.size() + 1, store.checkpoints(trialId).size());
        }
    }
}
