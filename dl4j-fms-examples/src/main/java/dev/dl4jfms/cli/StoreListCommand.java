package dev.dl4jfms.cli;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fms store ls --store <file>}. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List the studies and trials of a store with their epochs and latest metrics.")
final class StoreListCommand extends StoreBackedCommand {

    @Option(names = "--study", paramLabel = "<name>", description = "Only this study.")
    String study;

    @Override
    public Integer call() {
        PrintWriter out = out();
        try (SqliteCheckpointStore opened = store.openExisting()) {
            List<StudyRecord> studies = study == null ? opened.studies()
                    : List.of(opened.studyByName(study).orElseThrow(() -> new CliException(
                    "no study named '" + study + "' in " + opened.location())));
            if (studies.isEmpty()) {
                out.println("No studies in " + opened.location());
            }
            for (StudyRecord s : studies) {
                List<TrialRecord> trials = opened.trials(s.id());
                out.printf("Study %d '%s': %d trial(s), created %s%n", s.id(), s.name(), trials.size(), s.created());
                TextTable table = new TextTable(List.of("TRIAL", "STATUS", "EPOCHS", "CKPTS", "LATEST METRICS",
                        "LABEL", "REASON"), true, false, true, true);
                for (TrialRecord t : trials) {
                    List<CheckpointRecord> curve = opened.checkpoints(t.id());
                    CheckpointRecord latest = curve.isEmpty() ? null : curve.get(curve.size() - 1);
                    table.add(t.id(), t.status(), latest == null ? "-" : latest.epoch(), curve.size(),
                            latest == null ? "" : metrics(latest.metrics()), t.label() == null ? "" : t.label(),
                            t.statusReason() == null ? "" : t.statusReason());
                }
                if (!table.isEmpty()) {
                    table.print(out, "  ");
                }
            }
            out.flush();
        }
        return FmsCli.EXIT_OK;
    }

    private static String metrics(Map<String, Double> metrics) {
        StringJoiner joiner = new StringJoiner(" ");
        metrics.forEach((name, value) -> joiner.add(name + "=" + TextTable.number(value)));
        return joiner.toString();
    }
}
