package dev.dl4jfms.cli;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.ModelSnapshots;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fms store export <checkpointId> <zip> --store <file>}: a checkpoint as a DL4J ModelSerializer zip. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a checkpoint as a DL4J ModelSerializer zip (with updater state when it was saved).",
                "Load it with ModelSerializer.restoreMultiLayerNetwork / restoreComputationGraph."})
final class StoreExportCommand extends StoreBackedCommand {

    @Parameters(index = "0", paramLabel = "<checkpointId>", description = "Checkpoint id (see 'fms store show').")
    long checkpointId;

    @Parameters(index = "1", paramLabel = "<zip>", description = "Output file.")
    Path output;

    @Option(names = "--force", description = "Overwrite <zip> when it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (Files.exists(output) && !force) {
            throw new CliException(output.toAbsolutePath() + " exists (use --force to overwrite)");
        }
        PrintWriter out = out();
        try (SqliteCheckpointStore opened = store.openExisting()) {
            CheckpointRecord checkpoint = opened.checkpoint(checkpointId).orElseThrow(() -> new CliException(
                    "no checkpoint " + checkpointId + " in " + opened.location()));
            if (!checkpoint.hasWeights()) {
                throw new CliException("checkpoint " + checkpointId + " has metrics only, no weights");
            }
            Model model = ModelSnapshots.restore(opened.readSnapshot(checkpoint));
            try {
                ModelSerializer.writeModel(model, output.toFile(), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output.toAbsolutePath() + ": " + e.getMessage(), e);
            }
            out.printf("Wrote checkpoint %d (trial %d, epoch %d) as %s to %s%n", checkpoint.id(),
                    checkpoint.trialId(), checkpoint.epoch(), model.getClass().getSimpleName(), output.toAbsolutePath());
            out.flush();
        }
        return FmsCli.EXIT_OK;
    }
}
