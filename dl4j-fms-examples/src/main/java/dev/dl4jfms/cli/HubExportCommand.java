package dev.dl4jfms.cli;

import dev.dl4jfms.examples.hub.Hub;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fms hub export}: the hub's tabular data as CSV (docs/hub-csv-format.md). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the hub's configurations and per-epoch metrics as CSV (format: docs/hub-csv-format.md).")
final class HubExportCommand extends StoreBackedCommand {

    @Option(names = "--out", required = true, paramLabel = "<file.csv>", description = "Output CSV file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = out();
        try (SqliteCheckpointStore opened = store.openExisting()) {
            Hub hub;
            try {
                hub = Hub.read(opened);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            int rows = hub.exportCsv(out);
            w.printf("Wrote %d rows (%d configurations, B_max %d) to %s%n", rows, hub.entries().size(),
                    hub.maxEpochs(), out.toAbsolutePath());
            w.flush();
        }
        return FmsCli.EXIT_OK;
    }
}
