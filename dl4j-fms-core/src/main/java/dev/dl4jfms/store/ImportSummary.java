package dev.dl4jfms.store;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link CheckpointImporter#importPath} did.
 *
 * @param studyId the study the trials were added to
 * @param trials  the trials created, one per CheckpointListener folder or loose zip
 * @param skipped files (or CSV lines) that were not imported because of a problem, each with the reason
 * @param alreadyImported sources left alone because an earlier import into the same study took them
 */
public record ImportSummary(long studyId, List<ImportedTrial> trials, List<Skipped> skipped,
                            List<Path> alreadyImported) {

    public ImportSummary {
        trials = List.copyOf(trials);
        skipped = List.copyOf(skipped);
        alreadyImported = List.copyOf(alreadyImported);
    }

    /** A trial created from {@code source} (a CheckpointListener folder or a zip) with its checkpoint count. */
    public record ImportedTrial(long trialId, Path source, String kind, int checkpoints) {
    }

    /** A file that was not imported and why; {@code file} names the zip, folder or index file. */
    public record Skipped(Path file, String reason) {
        @Override
        public String toString() {
            return file + ": " + reason;
        }
    }

    /** Total checkpoints imported over all trials. */
    public int checkpointsImported() {
        return trials.stream().mapToInt(ImportedTrial::checkpoints).sum();
    }
}
