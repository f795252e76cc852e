package dev.dl4jfms.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** An executor that writes weight checkpoints itself (as the capture listener does) and reports their ids. */
class ExecutorCheckpointTest {

    @TempDir
    Path dir;

    private static final StudySettings SETTINGS = StudySettings.builder().budgetEpochs(9).maxEpochsPerTrial(3)
            .seed(3).build();

    private static CheckpointRecord store(CheckpointStore store, Segment s, int epoch, double value) {
        ModelSnapshot snapshot = new ModelSnapshot(ModelSnapshot.ModelType.MULTI_LAYER_NETWORK, "{}",
                Nd4j.createFromArray(new float[]{epoch, (float) value, s.poolIndex()}).reshape(1, 3), null, epoch,
                epoch * 10L);
        return store.putCheckpoint(s.trialId(), epoch, epoch * 10L, Map.of(SETTINGS.metricName(), value,
                SETTINGS.trainLossName(), 1 - value), snapshot);
    }

    @Test
    void executorCheckpointsAreReferencedNotDuplicatedAndResumeFromTheirWeights() {
        SyntheticCurves curves = new SyntheticCurves(10, 1, 2.0);
        Path db = dir.resolve("exec.db");
        long trialId;
        long firstCheckpoint;
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            Study study = Study.open(store, "exec", SETTINGS, curves.pool(), new RandomSearchPolicy());
            Segment s = study.ask().orElseThrow();
            assertNull(s.resumeCheckpointId());
            assertEquals("init:" + s.poolIndex(), s.resumeWeightsKey());
            List<EpochResult> epochs = new ArrayList<>();
            for (int e = 1; e <= 3; e++) {
                double v = curves.value(s.poolIndex(), e);
                CheckpointRecord c = store(store, s, e, v);
                epochs.add(new EpochResult(e, v, null, 1 - v, c.id(), null, null));
            }
            study.tell(SegmentResult.ok(s, epochs));
            TrialState t = study.trial(s.poolIndex());
            List<CheckpointRecord> stored = store.checkpoints(s.trialId());
            assertEquals(3, stored.size(), "no metrics-only duplicates");
            assertEquals("ckpt:" + stored.get(0).id(), t.weightsKeyBefore(2));
            assertEquals("ckpt:" + stored.get(2).id(), t.weightsKeyBefore(4));

            // a checkpoint of another trial is refused and the segment stays outstanding
            Segment other = study.ask().orElseThrow();
            var wrong = SegmentResult.ok(other, List.of(new EpochResult(1, 0.5, null, 0.5, stored.get(0).id(), null,
                    null)));
            var e = assertThrows(IllegalArgumentException.class, () -> study.tell(wrong));
            assertTrue(e.getMessage().contains("belongs to trial"), e.getMessage());
            // the executor stores epoch 1 of the other trial, then the process dies
            firstCheckpoint = store(store, other, 1, curves.value(other.poolIndex(), 1)).id();
            trialId = other.trialId();
        }
        try (CheckpointStore store = SqliteCheckpointStore.open(db)) {
            Study study = Study.open(store, "exec", SETTINGS, curves.pool(), new RandomSearchPolicy());
            assertEquals(4, study.spentEpochs());
            Segment s = study.ask().orElseThrow();
            assertEquals(trialId, s.trialId(), "random search first continues the interrupted trial");
            assertEquals(1, s.fromEpoch());
            assertEquals(firstCheckpoint, s.resumeCheckpointId());
            assertEquals("ckpt:" + firstCheckpoint, s.resumeWeightsKey());
            assertTrue(store.checkpoint(s.resumeCheckpointId()).orElseThrow().hasWeights());
        }
    }
}
