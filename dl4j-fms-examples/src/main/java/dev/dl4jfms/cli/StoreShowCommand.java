package dev.dl4jfms.cli;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fms store show <trialId> --store <file>}. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one trial: its status, architecture and learning curve (one row per checkpoint).")
final class StoreShowCommand extends StoreBackedCommand {

    @Parameters(paramLabel = "<trialId>", description = "The trial id (see 'fms store ls').")
    long trialId;

    @Override
    public Integer call() {
        PrintWriter out = out();
        try (SqliteCheckpointStore opened = store.openExisting()) {
            TrialRecord trial = opened.trial(trialId).orElseThrow(() -> new CliException(
                    "no trial " + trialId + " in " + opened.location()));
            StudyRecord study = opened.study(trial.studyId()).orElseThrow();
            out.printf("Trial %d of study %d '%s'%n", trial.id(), study.id(), study.name());
            if (trial.label() != null) {
                out.println("  label:        " + trial.label());
            }
            out.println("  status:       " + trial.status()
                    + (trial.statusReason() == null ? "" : " (" + trial.statusReason() + ")"));
            out.println("  architecture: " + (trial.architectureSignature() == null ? "-"
                    : trial.architectureSignature()));
            if (trial.startCheckpointId() != null) {
                out.println("  started from: checkpoint " + trial.startCheckpointId());
            }
            out.println("  created:      " + trial.created());
            List<CheckpointRecord> curve = opened.checkpoints(trial.id());
            if (curve.isEmpty()) {
                out.println("  no checkpoints");
                out.flush();
                return FmsCli.EXIT_OK;
            }
            TreeSet<String> metricNames = new TreeSet<>();
            curve.forEach(c -> metricNames.addAll(c.metrics().keySet()));
            List<String> headers = new ArrayList<>(List.of("EPOCH", "ITERATION"));
            metricNames.forEach(m -> headers.add(m.toUpperCase(java.util.Locale.ROOT)));
            headers.addAll(List.of("WEIGHTS", "CHECKPOINT"));
            boolean[] numeric = new boolean[headers.size()];
            java.util.Arrays.fill(numeric, 0, headers.size() - 1, true);
            TextTable table = new TextTable(headers, numeric);
            for (CheckpointRecord c : curve) {
                List<Object> row = new ArrayList<>(List.of(c.epoch(), c.iteration()));
                metricNames.forEach(m -> row.add(c.metrics().containsKey(m) ? TextTable.number(c.metric(m)) : ""));
                row.add(c.hasWeights() ? TextTable.bytes(c.byteSize()) + " " + c.dataType() : "-");
                row.add(c.id());
                table.add(row.toArray());
            }
            out.println("Learning curve (" + curve.size() + " checkpoints):");
            table.print(out, "  ");
            out.flush();
        }
        return FmsCli.EXIT_OK;
    }
}
