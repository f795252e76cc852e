package dev.dl4jfms.cli;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StoreException;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code fms store verify --store <file>}: checks every parameter blob against its recorded size and SHA-256. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check every checkpoint's parameter blob against its recorded size and SHA-256.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all blobs verify", "1:error", "2:bad arguments", "4:damaged blobs (listed on stderr)"})
final class StoreVerifyCommand extends StoreBackedCommand {

    static final int EXIT_DAMAGED = 4;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        int checked = 0;
        int damaged = 0;
        long bytes = 0;
        try (SqliteCheckpointStore opened = store.openExisting()) {
            for (StudyRecord study : opened.studies()) {
                for (TrialRecord trial : opened.trials(study.id())) {
                    for (CheckpointRecord checkpoint : opened.checkpoints(trial.id())) {
                        if (!checkpoint.hasWeights()) {
                            continue;
                        }
                        checked++;
                        try {
                            opened.verifyBlob(checkpoint);
                            bytes += checkpoint.byteSize();
                        } catch (StoreException e) {
                            damaged++;
                            err.println("damaged: checkpoint " + checkpoint.id() + " (trial " + trial.id() + ", epoch "
                                    + checkpoint.epoch() + "): " + e.getMessage());
                        }
                    }
                }
            }
            err.flush();
            out.printf("%d of %d blobs verified (%s)%s%n", checked - damaged, checked, TextTable.bytes(bytes),
                    damaged == 0 ? "" : "; " + damaged + " damaged");
            out.flush();
        }
        return damaged == 0 ? FmsCli.EXIT_OK : EXIT_DAMAGED;
    }
}
