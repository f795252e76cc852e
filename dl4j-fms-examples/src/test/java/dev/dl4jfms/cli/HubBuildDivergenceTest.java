package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dl4jfms.examples.data.IdxDataFolders;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub build whose space reaches learning rates at which plain SGD diverges to NaN predictions (issue 15): the
 * diverging configurations are recorded as DIVERGED with their reason and the metrics of the epochs before, the
 * build finishes, and building again skips them.
 */
class HubBuildDivergenceTest {

    @TempDir
    Path work;

    @Test
    void divergingConfigurationsAreRecordedAndTheBuildGoesOnAndResumesPastThem() throws Exception {
        assumeTrue(IdxDataFolders.holdsIdxData(IdxDataFolders.SYSTEM_FASHION_MNIST), "Fashion-MNIST not installed");
        Path def = work.resolve("diverging.yaml");
        Files.writeString(def, """
                name: diverging
                kind: architecture
                poolSize: 6
                maxEpochs: 3
                seed: 5
                data: {train: 300, validation: 100, test: 100, downsample: 2}
                space:
                  width1: {min: 8, max: 16, integer: true}
                  learning_rate: [0.01, 1.0e+30]
                  updater: [sgd]
                  batch_size: [32]
                """);
        Path db = work.resolve("diverging.db");
        CliRun build = CliRun.of("hub", "build", "--space", def.toString(), "--store", db.toString());
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(build.out().contains("6 trained now"), build.out());

        int diverged = 0;
        int finished = 0;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            for (TrialRecord t : store.trials(store.studyByName("hub").orElseThrow().id())) {
                List<CheckpointRecord> curve = store.checkpoints(t.id());
                boolean fast = t.configJson().contains("1.0E30");
                if (fast) {
                    assertEquals(TrialStatus.DIVERGED, t.status(), t.toString());
                    assertTrue(t.statusReason().startsWith("Diverged at epoch"), t.statusReason());
                    CheckpointRecord last = curve.get(curve.size() - 1);
                    assertTrue(last.epoch() >= 1 && last.epoch() <= 3, curve.toString());
                    for (CheckpointRecord c : curve.subList(1, curve.size() - 1)) {
                        assertTrue(Double.isFinite(c.metric("val_accuracy")), "epochs before the divergence: " + c);
                    }
                    diverged++;
                } else {
                    assertEquals(TrialStatus.FINISHED, t.status(), t.toString());
                    assertEquals(4, curve.size(), "epoch 0 and epochs 1..3");
                    finished++;
                }
            }
        }
        assertTrue(diverged >= 1 && finished >= 1, diverged + " diverged, " + finished + " finished");
        assertTrue(build.out().contains(diverged + " diverged"), build.out());

        CliRun again = CliRun.of("hub", "build", "--space", def.toString(), "--store", db.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("0 trained now") && again.out().contains("6 already complete"), again.out());
        CliRun export = CliRun.of("hub", "export", "--store", db.toString(), "--out", work.resolve("d.csv").toString());
        assertEquals(0, export.exitCode(), export.err());
    }
}
