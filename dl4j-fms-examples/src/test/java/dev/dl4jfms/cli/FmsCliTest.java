package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The command line end to end on a real CheckpointListener folder (in-process, captured output). */
class FmsCliTest {

    @TempDir
    static Path logs;

    @TempDir
    Path work;

    @BeforeAll
    static void writeCheckpointListenerFolder() throws IOException {
        Path folder = Files.createDirectories(logs.resolve("run-a"));
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(7).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(7).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.setListeners(new CheckpointListener.Builder(folder.toFile()).saveEveryEpoch().keepAll().build());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 40, 5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 40, 2);
        for (int i = 0; i < 40; i++) {
            y.putScalar(i, x.getDouble(i, 0) > 0 ? 1 : 0, 1.0);
        }
        net.fit(new ListDataSetIterator<>(new DataSet(x, y).asList(), 10), 3);
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void everyCommandHasHelp() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("store"), List.of("store", "import"),
                List.of("store", "ls"), List.of("store", "show"), List.of("store", "verify"),
                List.of("store", "export"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            CliRun r = run(args);
            assertEquals(0, r.exitCode(), String.join(" ", args));
            assertTrue(r.out().startsWith("Usage: fms"), r.out());
            assertTrue(r.err().isEmpty(), r.err());
        }
    }

    @Test
    void importListAndShowALearningCurve() {
        String store = work.resolve("cli.db").toString();
        CliRun imported = run("store", "import", logs.toString(), "--store", store, "--study", "legacy");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("Imported 1 trial(s), 3 checkpoint(s) into study 'legacy'"),
                imported.out());

        CliRun ls = run("store", "ls", "--store", store);
        assertEquals(0, ls.exitCode(), ls.err());
        assertTrue(ls.out().contains("Study 1 'legacy': 1 trial(s)"), ls.out());
        String row = ls.out().lines().filter(l -> l.contains("run-a")).findFirst().orElseThrow();
        assertTrue(row.matches("\\s+1\\s+IMPORTED\\s+3\\s+3\\s+wall_seconds=.*run-a"), row);

        CliRun show = run("store", "show", "1", "--store", store);
        assertEquals(0, show.exitCode(), show.err());
        List<String> curveRows = show.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+.*FLOAT.*")).toList();
        assertEquals(3, curveRows.size(), show.out());
        for (int epoch = 1; epoch <= 3; epoch++) {
            String[] cells = curveRows.get(epoch - 1).trim().split("\\s+");
            assertEquals(Integer.toString(epoch), cells[0]);
            assertEquals(Integer.toString(4 * epoch), cells[1], "40 examples / batch 10 = 4 iterations per epoch");
        }
    }

    @Test
    void badInputGivesOneLineOnStderrAndNoStackTrace() throws IOException {
        Path text = Files.writeString(work.resolve("notes.db"), "just text\n".repeat(20));
        CliRun notAStore = run("store", "ls", "--store", text.toString());
        assertEquals(FmsCli.EXIT_FAILURE, notAStore.exitCode());
        assertOneLine(notAStore, text.toString());
        assertTrue(notAStore.err().contains("not a dl4j-fms store"), notAStore.err());

        CliRun missing = run("store", "show", "1", "--store", work.resolve("absent.db").toString());
        assertEquals(FmsCli.EXIT_USAGE, missing.exitCode());
        assertOneLine(missing, "absent.db");
        assertFalse(Files.exists(work.resolve("absent.db")), "a typo must not create a store");

        assertEquals(FmsCli.EXIT_USAGE, run("store", "ls").exitCode());
        assertOneLine(run("store", "ls", "--bogus", "--store", "x.db"), "--bogus");
        assertOneLine(run("store", "show", "abc", "--store", "x.db"), "abc");
        assertOneLine(run("store", "import", work.resolve("nothing-here").toString(), "--store",
                work.resolve("new.db").toString()), "nothing-here");

        CliRun debug = run("store", "ls", "--store", text.toString(), "--debug");
        assertTrue(debug.err().contains("\tat dev.dl4jfms"), "--debug prints the stack trace");
    }

    @Test
    void damagedZipIsReportedWithExitCodeThree() throws IOException {
        Path folder = work.resolve("logs");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("broken.zip"), "PK not really");
        CliRun r = run("store", "import", folder.toString(), "--store", work.resolve("d.db").toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("broken.zip") && r.err().contains("unreadable"), r.err());
        assertTrue(r.out().contains("Imported 0 trial(s)"), r.out());
    }

    @Test
    void verifyFindsDamagedBlobsAndExportWritesALoadableZip() throws IOException {
        String store = work.resolve("v.db").toString();
        assertEquals(0, run("store", "import", logs.toString(), "--store", store).exitCode());
        CliRun good = run("store", "verify", "--store", store);
        assertEquals(0, good.exitCode(), good.err());
        assertTrue(good.out().startsWith("3 of 3 blobs verified"), good.out());

        Path zip = work.resolve("epoch2.zip");
        CliRun export = run("store", "export", "2", zip.toString(), "--store", store);
        assertEquals(0, export.exitCode(), export.err());
        MultiLayerNetwork exported = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(zip.toFile(),
                true);
        MultiLayerNetwork original = CheckpointListener.loadCheckpointMLN(logs.resolve("run-a").toFile(), 1);
        assertEquals(original.params(), exported.params());
        assertEquals(original.getUpdater().getStateViewArray(), exported.getUpdater().getStateViewArray());
        assertOneLine(run("store", "export", "2", zip.toString(), "--store", store), "--force");

        Path blob;
        try (var opened = dev.dl4jfms.store.SqliteCheckpointStore.open(Path.of(store))) {
            blob = opened.checkpoint(2).orElseThrow().blobPath();
        }
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 40] ^= 1;
        Files.write(blob, bytes);
        CliRun bad = run("store", "verify", "--store", store);
        assertEquals(4, bad.exitCode());
        assertTrue(bad.out().startsWith("2 of 3 blobs verified"), bad.out());
        assertTrue(bad.err().contains(blob.toString()) && bad.err().contains("SHA-256"), bad.err());
    }

    private static void assertOneLine(CliRun r, String mentions) {
        assertTrue(r.exitCode() != 0, "non-zero exit expected");
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("fms: "), r.err());
        assertTrue(r.err().contains(mentions), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
