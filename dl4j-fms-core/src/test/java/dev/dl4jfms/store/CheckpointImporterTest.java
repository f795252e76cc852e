package dev.dl4jfms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Imports real output of DL4J's CheckpointListener and ModelSerializer, including damaged files. */
class CheckpointImporterTest {

    private static final int EPOCHS = 3;

    @TempDir
    static Path logs;

    static Path mlpFolder;
    static Path graphFolder;
    static Path looseZip;

    @BeforeAll
    static void trainAndWriteLogs() throws IOException {
        mlpFolder = Files.createDirectories(logs.resolve("runs/mlp"));
        MultiLayerNetwork net = TinyNetworks.mlp(8, 11);
        net.setListeners(new CheckpointListener.Builder(mlpFolder.toFile()).saveEveryEpoch().keepAll().build());
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            net.fit(TinyNetworks.data(64, 16, epoch));
        }
        graphFolder = Files.createDirectories(logs.resolve("runs/graph"));
        ComputationGraph graph = TinyNetworks.graph(6, 12);
        graph.setListeners(new CheckpointListener.Builder(graphFolder.toFile()).saveEveryNIterations(3).keepAll()
                .build());
        graph.fit(TinyNetworks.data(64, 16, 3), 2);
        looseZip = logs.resolve("exported/final-model.zip");
        Files.createDirectories(looseZip.getParent());
        ModelSerializer.writeModel(net, looseZip.toFile(), true);
    }

    @TempDir
    Path work;

    @Test
    void importsListenerFoldersAndLooseZipsWithWeightsAndEpochs() {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(work.resolve("s.db"))) {
            ImportSummary summary = CheckpointImporter.builder(store).build().importPath(logs);
            assertTrue(summary.skipped().isEmpty(), summary.skipped().toString());
            assertEquals(3, summary.trials().size());
            StudyRecord study = store.study(summary.studyId()).orElseThrow();
            assertEquals(logs.getFileName().toString(), study.name());

            List<Checkpoint> index = CheckpointListener.availableCheckpoints(mlpFolder.toFile());
            assertEquals(EPOCHS, index.size());
            TrialRecord mlpTrial = trialWithLabel(store, study.id(), "runs/mlp");
            assertEquals(TrialStatus.IMPORTED, mlpTrial.status());
            List<CheckpointRecord> curve = store.checkpoints(mlpTrial.id());
            assertEquals(EPOCHS, curve.size());
            for (int i = 0; i < EPOCHS; i++) {
                Checkpoint row = index.get(i);
                CheckpointRecord cp = curve.get(i);
                assertEquals(row.getEpoch() + 1, cp.epoch(), "store counts completed epochs");
                assertEquals(row.getIteration(), cp.iteration());
                assertTrue(cp.metric(CheckpointImporter.WALL_SECONDS) >= 0);
                MultiLayerNetwork fromDl4j = CheckpointListener.loadCheckpointMLN(mlpFolder.toFile(), row);
                MultiLayerNetwork fromStore = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(cp));
                assertEquals(fromDl4j.params(), fromStore.params());
                assertEquals(fromDl4j.getUpdater().getStateViewArray(), fromStore.getUpdater().getStateViewArray());
                assertEquals(ArchitectureSignature.of(fromDl4j), mlpTrial.architectureSignature());
            }
            assertEquals(List.of(1, 2, 3), curve.stream().map(CheckpointRecord::epoch).toList());

            TrialRecord graphTrial = trialWithLabel(store, study.id(), "runs/graph");
            int graphCheckpoints = CheckpointListener.availableCheckpoints(graphFolder.toFile()).size();
            assertTrue(graphCheckpoints >= 2);
            assertEquals(graphCheckpoints, store.checkpoints(graphTrial.id()).size());
            assertEquals(ModelSnapshot.ModelType.COMPUTATION_GRAPH,
                    store.readSnapshot(store.latestCheckpoint(graphTrial.id()).orElseThrow()).modelType());

            TrialRecord zipTrial = trialWithLabel(store, study.id(), "exported/final-model.zip");
            CheckpointRecord only = store.latestCheckpoint(zipTrial.id()).orElseThrow();
            assertEquals(EPOCHS, only.epoch(), "a loose zip keeps the model's epoch count");
            assertEquals(store.readSnapshot(curve.get(EPOCHS - 1)).params(), store.readSnapshot(only).params());
            assertEquals(mlpTrial.architectureSignature(), zipTrial.architectureSignature());
            assertEquals(EPOCHS + 1, store.checkpointsByArchitecture(mlpTrial.architectureSignature()).size());

            ImportSummary again = CheckpointImporter.builder(store).build().importPath(logs);
            assertTrue(again.trials().isEmpty());
            assertTrue(again.skipped().isEmpty());
            assertEquals(3, again.alreadyImported().size());
            assertEquals(3, store.trials(study.id()).size());
        }
    }

    @Test
    void damagedFilesAreReportedAndSkippedAndTheRestImports() throws IOException {
        Path copy = work.resolve("logs");
        copyTree(logs.resolve("runs/mlp"), copy.resolve("mlp"));
        List<Checkpoint> index = CheckpointListener.availableCheckpoints(copy.resolve("mlp").toFile());
        Path truncated = copy.resolve("mlp").resolve(index.get(1).getFilename());
        try (FileChannel ch = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        Path corrupted = copy.resolve("loose/corrupted.zip");
        Files.createDirectories(corrupted.getParent());
        byte[] bytes = Files.readAllBytes(looseZip);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 16; i++) {
            bytes[i] ^= (byte) 0x5A;
        }
        Files.write(corrupted, bytes);
        Path foreignZip = copy.resolve("loose/photos.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(foreignZip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("not a model".getBytes());
        }
        Files.writeString(copy.resolve("loose/notazip.zip"), "plain text");
        Files.copy(looseZip, copy.resolve("loose/good.zip"));

        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(work.resolve("s.db"))) {
            long existing = store.createStudy("before", null).id();
            long existingTrial = store.createTrial(existing, new NewTrial("{}", null, null, null, null)).id();
            store.putCheckpoint(existingTrial, 1, 1, Map.of("acc", 0.5), null);

            ImportSummary summary = CheckpointImporter.builder(store).studyName("damaged").build().importPath(copy);
            assertEquals(2, summary.trials().size(), summary.toString());
            assertEquals(EPOCHS - 1 + 1, summary.checkpointsImported(), "2 good listener zips + good.zip");
            assertSkipped(summary, truncated, "unreadable");
            assertSkipped(summary, corrupted, "unreadable");
            assertSkipped(summary, foreignZip, "not a DL4J ModelSerializer zip");
            assertSkipped(summary, copy.resolve("loose/notazip.zip"), "unreadable");
            assertEquals(4, summary.skipped().size());

            TrialRecord mlp = trialWithLabel(store, summary.studyId(), "mlp");
            assertEquals(List.of(1, 3), store.checkpoints(mlp.id()).stream().map(CheckpointRecord::epoch).toList());
            for (CheckpointRecord cp : store.checkpoints(mlp.id())) {
                store.readSnapshot(cp); // verifies
            }
            assertEquals(0.5, store.latestCheckpoint(existingTrial).orElseThrow().metric("acc"));
        }
    }

    @Test
    void metricFunctionAddsValuesToEveryCheckpoint() {
        DataSet validation = TinyNetworks.dataSet(50, 77);
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(work.resolve("s.db"))) {
            ImportSummary summary = CheckpointImporter.builder(store)
                    .metrics(model -> Map.of("val_score", ((MultiLayerNetwork) model).score(validation)))
                    .build().importPath(mlpFolder);
            assertEquals(1, summary.trials().size());
            List<CheckpointRecord> curve = store.checkpoints(summary.trials().get(0).trialId());
            assertEquals(EPOCHS, curve.size());
            for (CheckpointRecord cp : curve) {
                MultiLayerNetwork net = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(cp));
                assertEquals(net.score(validation), cp.metric("val_score"), 1e-6);
            }
            assertFalse(curve.get(0).metric("val_score") == curve.get(EPOCHS - 1).metric("val_score"));
        }
    }

    private static void assertSkipped(ImportSummary summary, Path file, String reasonPart) {
        assertTrue(summary.skipped().stream().anyMatch(s -> s.file().equals(file.toAbsolutePath().normalize())
                && s.reason().contains(reasonPart)), file + " with '" + reasonPart + "' in " + summary.skipped());
    }

    private static TrialRecord trialWithLabel(CheckpointStore store, long studyId, String label) {
        return store.trials(studyId).stream().filter(t -> label.equals(t.label())).findFirst()
                .orElseThrow(() -> new AssertionError("no trial labelled " + label + " in " + store.trials(studyId)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
