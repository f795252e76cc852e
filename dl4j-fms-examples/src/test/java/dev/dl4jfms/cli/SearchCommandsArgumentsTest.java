package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Argument and input-file errors of demo / search / report: one clear line, exit code 2, no stack trace. */
class SearchCommandsArgumentsTest {

    @TempDir
    Path dir;

    private static void assertUsageError(CliRun r, String expected) {
        assertEquals(FmsCli.EXIT_USAGE, r.exitCode(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line on stderr: " + r);
        assertTrue(err.startsWith("fms: "), r.toString());
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace or exception name: " + err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "search", "report"})
    void helpDescribesEveryCommand(String command) {
        CliRun r = CliRun.of(command, "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Usage: fms " + command), r.toString());
        assertTrue(r.out().contains("--out"), r.toString());
    }

    @Test
    void demoNeedsAKnownDataset() {
        assertUsageError(CliRun.of("demo"), "Missing required parameter");
        assertUsageError(CliRun.of("demo", "imagenet"), "imagenet");
    }

    @Test
    void demoRejectsBadNumbersAndForecasters() {
        String out = dir.resolve("o").toString();
        assertUsageError(CliRun.of("demo", "mnist", "--out", out, "--budget", "0"), "--budget must be a positive");
        assertUsageError(CliRun.of("demo", "mnist", "--out", out, "--budget", "abc"), "--budget");
        assertUsageError(CliRun.of("demo", "mnist", "--out", out, "--budget", "3", "--max-epochs", "4"),
                "must be at least --max-epochs");
        assertUsageError(CliRun.of("demo", "mnist", "--out", out, "--forecaster", "oracle"), "unknown forecaster 'oracle'");
        assertUsageError(CliRun.of("demo", "mnist", "--out", out, "--model", "rnn"), "rnn");
    }

    @Test
    void demoNamesAFolderWithoutData() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertUsageError(CliRun.of("demo", "mnist", "--out", dir.resolve("o").toString(), "--data", empty.toString()),
                "holds no MNIST-format IDX files");
        CliRun cifar = CliRun.of("demo", "cifar", "--out", dir.resolve("c").toString(), "--data", empty.toString());
        assertEquals(FmsCli.EXIT_USAGE, cifar.exitCode(), cifar.toString());
        assertTrue(cifar.err().contains("CIFAR-10"), cifar.toString());
        assertFalse(cifar.err().contains("\tat "), cifar.toString());
    }

    @Test
    void resumeWithoutAStudyIsAnError() {
        assertUsageError(CliRun.of("demo", "mnist", "--out", dir.resolve("o").toString(), "--resume"),
                "nothing to resume");
    }

    @Test
    void searchChecksTheSpaceFileAndDataFolder() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        assertUsageError(CliRun.of("search", "--data", data.toString()), "Missing required option: '--space");
        assertUsageError(CliRun.of("search", "--space", dir.resolve("nope.json").toString(), "--data", data.toString()),
                "nope.json does not exist");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"layerSpaces\": 42, ");
        assertUsageError(CliRun.of("search", "--space", bad.toString(), "--data", data.toString()),
                "is not an Arbiter MultiLayerSpace in JSON");
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "just: [text");
        assertUsageError(CliRun.of("search", "--space", yaml.toString(), "--data", data.toString()),
                "is not an Arbiter MultiLayerSpace in YAML");
    }

    @Test
    void exampleSpacesRoundTripThroughJsonAndYamlFiles() throws Exception {
        var mlp = dev.dl4jfms.examples.search.SearchSpaces.mlp(784, 10, 3);
        var cnn = dev.dl4jfms.examples.search.SearchSpaces.smallCnn(
                org.deeplearning4j.nn.conf.inputs.InputType.convolutional(32, 32, 3), 10, 3);
        for (var space : java.util.List.of(mlp, cnn)) {
            Path json = Files.writeString(dir.resolve("s.json"), space.toJson());
            Path yaml = Files.writeString(dir.resolve("s.yaml"), space.toYaml());
            // (MultiLayerSpace.equals compares FixedValue<int[]> by reference: compare the serialised forms.)
            assertEquals(space.toJson(), SearchCommand.readSpace(json).toJson());
            assertEquals(space.toJson(), SearchCommand.readSpace(yaml).toJson());
            assertEquals(space.numParameters(), SearchCommand.readSpace(yaml).numParameters());
        }
    }

    @Test
    void searchNamesAnEmptyDataFolder() throws Exception {
        Path space = Files.writeString(dir.resolve("space.json"),
                dev.dl4jfms.examples.search.SearchSpaces.mlp(784, 10, 1).toJson());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertUsageError(CliRun.of("search", "--space", space.toString(), "--data", empty.toString(), "--out",
                dir.resolve("o").toString()), "holds neither MNIST-format IDX files");
        assertUsageError(CliRun.of("search", "--space", space.toString(), "--data", dir.resolve("missing").toString()),
                "does not exist");
    }

    @Test
    void sharedOptionsKeepEachCommandsRequiredStatusAndShareTheirChecks() throws Exception {
        Path space = Files.writeString(dir.resolve("space.json"),
                dev.dl4jfms.examples.search.SearchSpaces.mlp(784, 10, 1).toJson());
        // --data and --out are required where a command has no default for them, optional elsewhere.
        assertUsageError(CliRun.of("search", "--space", space.toString()), "Missing required option: '--data");
        assertUsageError(CliRun.of("report", "--store", dir.resolve("s.db").toString(), "--study", "x"),
                "Missing required option: '--out");
        String searchHelp = CliRun.of("search", "--help").out();
        assertTrue(searchHelp.contains(" --data=<dir>") && !searchHelp.contains("[--data=<dir>]"), searchHelp);
        assertTrue(searchHelp.contains("[-o=<dir>]") && searchHelp.contains("[-s=<file>]"), searchHelp);
        assertTrue(CliRun.of("demo", "--help").out().contains("[--data=<dir>]"));
        // One check of the data folder for every command that takes --data.
        String missing = dir.resolve("missing").toString();
        assertUsageError(CliRun.of("demo", "mnist", "--out", dir.resolve("o").toString(), "--data", missing),
                "data folder " + missing + " does not exist");
        Path hub = Files.writeString(dir.resolve("hub.yaml"), """
                name: tiny
                kind: architecture
                poolSize: 2
                maxEpochs: 1
                seed: 5
                data: {train: 20, validation: 10, test: 10}
                space:
                  learning_rate: {min: 1.0e-3, max: 1.0e-1, log: true}
                """);
        String store = dir.resolve("hub.db").toString();
        assertUsageError(CliRun.of("hub", "build", "--space", hub.toString(), "--store", store, "--data", missing),
                "data folder " + missing + " does not exist");
        // One positivity check of the pool options, in hub build as in demo/search.
        assertUsageError(CliRun.of("hub", "build", "--space", hub.toString(), "--store", store, "--pool", "0"),
                "--pool must be a positive number, got 0");
        assertUsageError(CliRun.of("demo", "mnist", "--out", dir.resolve("o").toString(), "--val", "-3"),
                "--val must be a positive number, got -3");
    }

    @Test
    void reportChecksStoreStudyAndBaselineFile() throws Exception {
        assertUsageError(CliRun.of("report", "--store", dir.resolve("none.db").toString(), "--study", "x", "--out",
                dir.toString()), "does not exist");
        assertUsageError(CliRun.of("report", "--store", dir.resolve("none.db").toString(), "--out", dir.toString()),
                "Missing required option: '--study");
        Path db = dir.resolve("s.db");
        try (var store = dev.dl4jfms.store.SqliteCheckpointStore.open(db)) {
            store.createStudy("only-one", null);
        }
        assertUsageError(CliRun.of("report", "--store", db.toString(), "--study", "other", "--out", dir.toString()),
                "no study 'other'");
        Path csv = Files.writeString(dir.resolve("curves.csv"), "a,b\n1,2\n");
        assertUsageError(CliRun.of("report", "--store", db.toString(), "--study", "only-one", "--out", dir.toString(),
                "--baseline-csv", csv.toString()), "is not a benchmark curves.csv");
    }
}
