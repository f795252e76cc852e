package dev.dl4jfms.cli;

import dev.dl4jfms.examples.report.StoreStudyReports;
import dev.dl4jfms.examples.report.StudyReport;
import dev.dl4jfms.examples.report.StudyReportWriter;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fms report --store <file> --study <id|name> --out <dir>}. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a study's report from the store: report.html (self-contained) plus incumbent.png, "
                + "learning-curves.png and forecast.png. See docs/study-report.md for how to read it."},
        footer = {"", "Example: fms report --store fms-demo/fms.db --study mnist-mlp --out fms-demo/report"})
final class ReportCommand extends StoreBackedCommand {

    @Option(names = "--study", required = true, paramLabel = "<id|name>", description = "The study (see 'fms store ls').")
    String study;

    @Mixin
    ReportFolderOption reportFolder;

    @Option(names = "--baseline-csv", paramLabel = "<curves.csv>",
            description = "A benchmark's curves.csv: adds how many epochs random search / Hyperband needed for the "
                    + "same validation value (meaningful when the benchmark ran the same pool and data).")
    Path baselineCsv;

    @Override
    public Integer call() {
        if (baselineCsv != null && !Files.isRegularFile(baselineCsv)) {
            throw new CliException("baseline file " + baselineCsv + " does not exist");
        }
        try (SqliteCheckpointStore opened = store.openExisting()) {
            StudyRecord record;
            StudyReport report;
            try {
                record = StoreStudyReports.findStudy(opened, study);
                report = StoreStudyReports.load(opened, record, baselineCsv);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new CliException(e.getMessage());
            }
            Path html;
            try {
                html = StudyReportWriter.write(report, reportFolder.folder);
            } catch (IOException e) {
                throw new CliException("cannot write the report to " + reportFolder.folder + ": " + e.getMessage());
            }
            PrintWriter w = out();
            w.printf("Report of study '%s' (%d trials, %d epochs): %s%n", record.name(), report.trials().size(),
                    report.roi().epochsSpent(), html);
            w.flush();
        }
        return FmsCli.EXIT_OK;
    }
}
