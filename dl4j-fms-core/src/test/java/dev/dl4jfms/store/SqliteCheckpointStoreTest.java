package dev.dl4jfms.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void studiesAndTrialsRoundTrip() {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            StudyRecord a = store.createStudy("alpha", "{\"policy\":\"fms\"}");
            StudyRecord b = store.createStudy("beta", null);
            assertEquals(List.of("alpha", "beta"), store.studies().stream().map(StudyRecord::name).toList());
            assertEquals(a, store.study(a.id()).orElseThrow());
            assertEquals(b.id(), store.studyByName("beta").orElseThrow().id());
            assertTrue(store.studyByName("gamma").isEmpty());
            assertThrows(StoreException.class, () -> store.createStudy("alpha", null));

            store.updateStudySettings(b.id(), "{\"x\":1}");
            assertEquals("{\"x\":1}", store.study(b.id()).orElseThrow().settingsJson());

            TrialRecord t1 = store.createTrial(a.id(), new NewTrial("{\"lr\":0.1}", new double[] {0.25, 0.5},
                    "sigA", null, "first"));
            TrialRecord t2 = store.createTrial(a.id(), new NewTrial("{\"lr\":0.2}", null, null, 7L, null));
            store.createTrial(b.id(), new NewTrial("{}", null, null, null, null));
            assertEquals(TrialStatus.PENDING, t1.status());

            List<TrialRecord> trials = store.trials(a.id());
            assertEquals(List.of(t1.id(), t2.id()), trials.stream().map(TrialRecord::id).toList());
            TrialRecord read = store.trial(t1.id()).orElseThrow();
            assertArrayEquals(new double[] {0.25, 0.5}, read.unitVector());
            assertEquals("sigA", read.architectureSignature());
            assertEquals("first", read.label());
            assertNull(read.startCheckpointId());
            assertEquals(7L, store.trial(t2.id()).orElseThrow().startCheckpointId());
            assertNull(store.trial(t2.id()).orElseThrow().unitVector());

            store.updateTrialStatus(t1.id(), TrialStatus.STOPPED, "forecast dominated");
            TrialRecord stopped = store.trial(t1.id()).orElseThrow();
            assertEquals(TrialStatus.STOPPED, stopped.status());
            assertEquals("forecast dominated", stopped.statusReason());
            assertThrows(StoreException.class, () -> store.updateTrialStatus(999, TrialStatus.FAILED, null));
            assertThrows(StoreException.class, () -> store.createTrial(999, new NewTrial("{}", null, null, null,
                    null)));
        }
    }

    @Test
    void learningCurveLatestBestAndNaN() {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            long study = store.createStudy("s", null).id();
            long trial = store.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
            // inserted out of order on purpose
            store.putCheckpoint(trial, 2, 20, Map.of("val_acc", 0.80, "loss", 0.5), null);
            store.putCheckpoint(trial, 1, 10, Map.of("val_acc", 0.60, "loss", 0.9), null);
            store.putCheckpoint(trial, 3, 30, Map.of("val_acc", 0.75, "loss", 0.4), null);
            store.putCheckpoint(trial, 4, 40, Map.of("loss", Double.NaN), null);

            List<CheckpointRecord> curve = store.checkpoints(trial);
            assertEquals(List.of(1, 2, 3, 4), curve.stream().map(CheckpointRecord::epoch).toList());
            assertEquals(0.60, curve.get(0).metric("val_acc"));
            assertTrue(Double.isNaN(curve.get(3).metric("loss")), "NaN survives the round trip");
            assertTrue(Double.isNaN(curve.get(3).metric("val_acc")), "absent metric reads as NaN");
            assertFalse(curve.get(0).hasWeights());

            assertEquals(4, store.latestCheckpoint(trial).orElseThrow().epoch());
            assertEquals(2, store.bestCheckpoint(trial, "val_acc", true).orElseThrow().epoch());
            assertEquals(1, store.bestCheckpoint(trial, "val_acc", false).orElseThrow().epoch());
            assertEquals(3, store.bestCheckpoint(trial, "loss", false).orElseThrow().epoch(), "NaN is ignored");
            assertTrue(store.bestCheckpoint(trial, "missing", true).isEmpty());

            CheckpointRecord byId = store.checkpoint(curve.get(1).id()).orElseThrow();
            assertEquals(curve.get(1), byId);
            assertThrows(StoreException.class, () -> store.readSnapshot(byId), "metrics-only checkpoint");
        }
    }

    @Test
    void topTrialsRanksByMetricAtEpoch() {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            long study = store.createStudy("s", null).id();
            long other = store.createStudy("other", null).id();
            double[] atEpoch2 = {0.5, 0.9, 0.7, 0.3};
            long[] ids = new long[atEpoch2.length];
            for (int i = 0; i < atEpoch2.length; i++) {
                ids[i] = store.createTrial(study, new NewTrial("{\"i\":" + i + "}", null, null, null, null)).id();
                store.putCheckpoint(ids[i], 1, 10, Map.of("acc", 1.0 - atEpoch2[i]), null);
                store.putCheckpoint(ids[i], 2, 20, Map.of("acc", atEpoch2[i]), null);
            }
            // a later checkpoint in epoch 2 of trial 0 supersedes its earlier one
            store.putCheckpoint(ids[0], 2, 25, Map.of("acc", 0.95), null);
            // a trial without epoch 2 and a trial of another study never appear
            long short1 = store.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
            store.putCheckpoint(short1, 1, 10, Map.of("acc", 0.99), null);
            long foreign = store.createTrial(other, new NewTrial("{}", null, null, null, null)).id();
            store.putCheckpoint(foreign, 2, 20, Map.of("acc", 1.0), null);

            List<TrialScore> top = store.topTrials(study, "acc", 2, 3, true);
            assertEquals(List.of(ids[0], ids[1], ids[2]), top.stream().map(s -> s.trial().id()).toList());
            assertEquals(0.95, top.get(0).value());
            assertEquals(25, top.get(0).checkpoint().iteration());
            assertEquals(0.9, top.get(1).checkpoint().metric("acc"));

            List<TrialScore> bottom = store.topTrials(study, "acc", 2, 2, false);
            assertEquals(List.of(ids[3], ids[2]), bottom.stream().map(s -> s.trial().id()).toList());
            assertTrue(store.topTrials(study, "acc", 7, 3, true).isEmpty());
            assertTrue(store.topTrials(study, "acc", 2, 0, true).isEmpty());
        }
    }

    @Test
    void snapshotsRoundTripAndArchitectureQuery() {
        MultiLayerNetwork small = TinyNetworks.mlp(5, 1);
        MultiLayerNetwork wide = TinyNetworks.mlp(9, 2);
        String smallSig = ArchitectureSignature.of(small);
        String wideSig = ArchitectureSignature.of(wide);
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            long study = store.createStudy("s", null).id();
            long t1 = store.createTrial(study, new NewTrial("{}", null, smallSig, null, null)).id();
            long t2 = store.createTrial(study, new NewTrial("{}", null, wideSig, null, null)).id();
            long t3 = store.createTrial(study, new NewTrial("{}", null, smallSig, null, null)).id();
            ModelSnapshot snapshot = ModelSnapshots.of(small);
            CheckpointRecord c1 = store.putCheckpoint(t1, 1, 3, Map.of("acc", 0.5), snapshot);
            store.putCheckpoint(t2, 1, 3, Map.of(), ModelSnapshots.of(wide));
            store.putCheckpoint(t3, 0, 0, Map.of(), null); // metrics only: not listed by architecture
            CheckpointRecord c3 = store.putCheckpoint(t3, 1, 3, Map.of(), snapshot);

            assertTrue(c1.hasWeights());
            assertTrue(Files.isRegularFile(c1.blobPath()));
            assertTrue(c1.blobPath().startsWith(store.blobFolder()));
            assertEquals(Files.size(c1.blobPath()) , c1.byteSize());
            assertEquals("FLOAT", c1.dataType());
            assertEquals(64, c1.sha256().length());

            assertEquals(List.of(c1.id(), c3.id()), store.checkpointsByArchitecture(smallSig).stream()
                    .map(CheckpointRecord::id).toList());
            assertTrue(store.checkpointsByArchitecture("nope").isEmpty());

            ModelSnapshot back = store.readSnapshot(store.checkpoint(c1.id()).orElseThrow());
            assertEquals(snapshot.modelType(), back.modelType());
            assertEquals(snapshot.configJson(), back.configJson());
            assertEquals(snapshot.params(), back.params());
            assertEquals(snapshot.updaterState(), back.updaterState());
            assertEquals(snapshot.epochCount(), back.epochCount());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void eventsKeepInsertionOrder() {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            long study = store.createStudy("s", null).id();
            long trial = store.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
            long e1 = store.appendEvent(study, null, "fit", "{\"nll\":1.5}");
            long e2 = store.appendEvent(study, trial, "select", null);
            List<EventRecord> events = store.events(study);
            assertEquals(List.of(e1, e2), events.stream().map(EventRecord::id).toList());
            assertNull(events.get(0).trialId());
            assertEquals(trial, events.get(1).trialId());
            assertEquals("{\"nll\":1.5}", events.get(0).payloadJson());
            assertThrows(StoreException.class, () -> store.appendEvent(999, null, "x", null));
        }
    }

    @Test
    void walModeAndPersistenceAcrossReopen() {
        Path db = dir.resolve("nested/folder/s.db");
        long trial;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            assertEquals("wal", store.journalMode());
            long study = store.createStudy("s", null).id();
            trial = store.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
            store.putCheckpoint(trial, 1, 1, Map.of("acc", 0.1), ModelSnapshots.of(TinyNetworks.mlp(4, 3)));
        }
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            assertEquals(db.toAbsolutePath(), store.location());
            CheckpointRecord only = store.latestCheckpoint(trial).orElseThrow();
            assertEquals(0.1, only.metric("acc"));
            assertEquals(TinyNetworks.INPUTS * 4 + 4 + 4 * TinyNetworks.CLASSES + TinyNetworks.CLASSES, store.readSnapshot(only).params().length());
        }
        SqliteCheckpointStore closed = SqliteCheckpointStore.open(db);
        closed.close();
        assertThrows(StoreException.class, closed::studies);
    }
}
