package dev.dl4jfms.cli;

import dev.dl4jfms.examples.hub.HubBuilder;
import dev.dl4jfms.examples.hub.HubDefinition;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fms hub build}: train a hub definition's pool into a store (resumable). */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Train every configuration of a hub definition's pool for B_max epochs, recording per epoch "
                + "validation/test accuracy, training loss, seconds and weights into the store.",
                "Run it again on the same store to continue an interrupted build (see docs/hubs.md).",
                "Unset --data, --pool, --max-epochs, --seed, --train, --val, --test and --downsample take the "
                        + "definition's values (its data folder defaults to Debian's Fashion-MNIST, MNIST-format "
                        + "IDX)."})
final class HubBuildCommand extends StoreBackedCommand {

    @Option(names = "--space", required = true, paramLabel = "<file>",
            description = "Hub definition (YAML or JSON), e.g. hubs/architecture.yaml.")
    Path space;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    DataFolderOption data;

    @Mixin
    PoolOptions pool;

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
            definition = HubDefinition.load(space).withOverrides(pool.size(null), pool.maxEpochs(null), pool.seed,
                    pool.train(null), pool.val(null), test, downsample, DataFolderOption.existing(data));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = out();
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
