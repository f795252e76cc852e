package dev.dl4jfms.cli;

import dev.dl4jfms.examples.hub.HubBuilder;
import dev.dl4jfms.examples.hub.HubDefinition;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fms hub build}: train a hub definition's pool into a store (resumable). */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Train every configuration of a hub definition's pool for B_max epochs, recording per epoch "
                + "validation/test accuracy, training loss, seconds and weights into the store.",
                "Run it again on the same store to continue an interrupted build (see docs/hubs.md)."})
final class HubBuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--space", required = true, paramLabel = "<file>",
            description = "Hub definition (YAML or JSON), e.g. hubs/architecture.yaml.")
    Path space;

    @Option(names = "--data", paramLabel = "<dir>",
            description = "Folder with MNIST-format IDX files (default: Fashion-MNIST of the system package).")
    Path data;

    @Option(names = "--pool", paramLabel = "<n>", description = "Pool size (default: the definition's).")
    Integer pool;

    @Option(names = "--max-epochs", paramLabel = "<B>", description = "B_max (default: the definition's).")
    Integer maxEpochs;

    @Option(names = "--seed", paramLabel = "<s>", description = "Pool and data seed (default: the definition's).")
    Long seed;

    @Option(names = "--train", paramLabel = "<n>", description = "Training examples.")
    Integer train;

    @Option(names = "--val", paramLabel = "<n>", description = "Validation examples.")
    Integer validation;

    @Option(names = "--test", paramLabel = "<n>", description = "Test examples.")
    Integer test;

    @Option(names = "--downsample", paramLabel = "<k>", description = "Average-pool images k×k (2: 28×28 -> 14×14).")
    Integer downsample;

    @Option(names = "--workers", paramLabel = "<n>", defaultValue = "1",
            description = "Configurations trained in parallel (default: ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(space)) {
            throw new CliException("hub definition " + space.toAbsolutePath() + " does not exist");
        }
        HubDefinition definition;
        try {
            definition = HubDefinition.load(space).withOverrides(pool, maxEpochs, seed, train, validation, test,
                    downsample, data);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteCheckpointStore opened = store.openOrCreate()) {
            HubBuilder.Result r;
            try {
                r = new HubBuilder(definition, opened, workers).build();
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            out.printf(Locale.ROOT, "hub '%s' in %s: %d configurations, %d trained now (%d resumed, %d diverged), "
                            + "%d already complete, %.1f s%n", definition.name(), opened.location(), r.configurations(),
                    r.trained(), r.resumed(), r.diverged(), r.skipped(), r.seconds());
            out.flush();
        }
        return FmsCli.EXIT_OK;
    }
}
