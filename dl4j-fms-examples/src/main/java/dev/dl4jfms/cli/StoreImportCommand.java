package dev.dl4jfms.cli;

import dev.dl4jfms.store.CheckpointImporter;
import dev.dl4jfms.store.ImportSummary;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fms store import <dir> --store <file>}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import existing DL4J training output into a store (created when absent).",
                "Folders written by DL4J's CheckpointListener (checkpointInfo.txt + zips) become one trial each; "
                        + "loose ModelSerializer zips become one trial each. <path> is searched recursively. "
                        + "Damaged files are reported on stderr and skipped; sources already imported into the study are left alone."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything found was imported", "1:error (e.g. the store is damaged)",
                "2:bad arguments or files", "3:some files could not be imported (listed on stderr)"})
final class StoreImportCommand extends StoreBackedCommand {

    static final int EXIT_PARTIAL = 3;

    @Parameters(paramLabel = "<path>", description = "A folder to search, a CheckpointListener folder, or a zip.")
    Path source;

    @Option(names = "--study", paramLabel = "<name>",
            description = "Study to add the trials to (default: the name of <path>).")
    String study;

    @Override
    public Integer call() {
        if (!Files.exists(source)) {
            throw new CliException("nothing to import: " + source.toAbsolutePath() + " does not exist");
        }
        PrintWriter out = out();
        PrintWriter err = err();
        try (SqliteCheckpointStore opened = store.openOrCreate()) {
            CheckpointImporter.Builder builder = CheckpointImporter.builder(opened);
            if (study != null) {
                builder.studyName(study);
            }
            ImportSummary summary = builder.build().importPath(source);
            String studyName = opened.study(summary.studyId()).orElseThrow().name();
            out.printf("Imported %d trial(s), %d checkpoint(s) into study '%s' (id %d) of %s%n",
                    summary.trials().size(), summary.checkpointsImported(), studyName, summary.studyId(),
                    opened.location());
            TextTable table = new TextTable(java.util.List.of("TRIAL", "CHECKPOINTS", "KIND", "SOURCE"), true, true);
            summary.trials().forEach(t -> table.add(t.trialId(), t.checkpoints(), t.kind(), t.source()));
            if (!table.isEmpty()) {
                table.print(out, "  ");
            }
            if (!summary.alreadyImported().isEmpty()) {
                out.printf("%d source(s) were imported into this study before and were left alone.%n",
                        summary.alreadyImported().size());
            }
            out.flush();
            for (ImportSummary.Skipped skipped : summary.skipped()) {
                err.println("skipped " + skipped.file() + ": " + skipped.reason());
            }
            err.flush();
            return summary.skipped().isEmpty() ? FmsCli.EXIT_OK : EXIT_PARTIAL;
        }
    }
}
