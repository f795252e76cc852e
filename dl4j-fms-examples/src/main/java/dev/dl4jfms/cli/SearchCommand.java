package dev.dl4jfms.cli;

import dev.dl4jfms.examples.ExampleData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fms search --space <file> --data <dir>}: FMS over a user's Arbiter space. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search an Arbiter MultiLayerSpace (JSON or YAML, as written by MultiLayerSpace.toJson/toYaml) "
                + "with FMS on MNIST-format IDX or CIFAR-10 data, capture every epoch into a store and write the "
                + "report next to it. Validation accuracy is the metric.",
                "",
                "Defaults: --out fms-search, the store <out>/fms.db, budget 30 epochs, B_max 6, pool 40, 3000 "
                        + "training / 1000 validation examples, seed 1.",
                "",
                "Give the space a fixed seed (MultiLayerSpace.Builder.seed): without one every configuration gets "
                        + "the current time as its seed, so resumed trials would not match their initial weights."},
        footer = {"", "Example: fms search --space my-space.json --data /data/mnist --budget 100 --max-epochs 10",
                "         fms search --space my-space.json --data /data/mnist --resume --budget 200"})
final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--space", required = true, paramLabel = "<file>",
            description = "Arbiter MultiLayerSpace as JSON (.json) or YAML (.yaml/.yml).")
    Path spaceFile;

    @Mixin
    DataFolderOption data;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    ReportFolderOption reportFolder;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    StoreOptions store;

    @Option(names = "--study", paramLabel = "<name>",
            description = "Study name in the store (default: the space file's name without extension).")
    String study;

    @Mixin
    SearchOptions options;

    @Override
    public Integer call() {
        MultiLayerSpace space = readSpace(spaceFile);
        Path dataFolder = DataFolderOption.existing(data);
        Path outFolder = ReportFolderOption.orElse(reportFolder, "fms-search");
        String name = study != null ? study : spaceFile.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        if (!hasSeed(space)) {
            spec.commandLine().getErr().println("fms: warning: space " + spaceFile + " has no seed; initial "
                    + "weights of the same configuration will differ between runs");
        }
        Path storeFile = store != null ? store.file() : outFolder.resolve("fms.db");
        return SearchSession.run(SearchSession.CommandSpecOutput.of(spec), options,
                SearchSession.Defaults.MNIST,
                storeFile, name, s -> ExampleData.detect(dataFolder, s.train(), s.val(), s.batch(), s.seed()),
                d -> space, outFolder);
    }

    /** Reads a MultiLayerSpace from JSON or YAML; any problem is one clear line naming the file. */
    static MultiLayerSpace readSpace(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("space file " + file + " does not exist");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read space file " + file + ": " + e.getMessage());
        }
        boolean json = text.stripLeading().startsWith("{");
        try {
            MultiLayerSpace space = json ? MultiLayerSpace.fromJson(text) : MultiLayerSpace.fromYaml(text);
            if (space == null || space.numParameters() < 1) {
                throw new CliException("space file " + file + " holds no hyperparameters to search");
            }
            return space;
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable")
                    .replaceAll("^([\\w$]+\\.)+[\\w$]*(Exception|Error): ", "");
            throw new CliException("space file " + file + " is not an Arbiter MultiLayerSpace in "
                    + (json ? "JSON" : "YAML") + ": " + msg);
        }
    }

    private static boolean hasSeed(MultiLayerSpace space) {
        return space.toJson().matches("(?s).*\"seed\"\\s*:\\s*-?\\d+.*");
    }
}
