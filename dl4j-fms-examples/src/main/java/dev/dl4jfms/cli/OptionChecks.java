package dev.dl4jfms.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of option values shared by the commands; a failed check is a {@link CliException} naming the option. */
final class OptionChecks {

    private OptionChecks() {
    }

    /**
     * The value of a count option: {@code value} if given, else {@code fallback}; a user error (naming
     * {@code option}) unless it is positive. Null only when both are null.
     */
    static Integer positive(Integer value, Integer fallback, String option) {
        Integer v = value != null ? value : fallback;
        if (v != null && v < 1) {
            throw new CliException(option + " must be a positive number, got " + v);
        }
        return v;
    }

    /** {@code folder} when it is an existing directory (or null); else a user error naming it as {@code what}. */
    static Path existingFolder(Path folder, String what) {
        if (folder != null && !Files.isDirectory(folder)) {
            throw new CliException(what + " " + folder + " does not exist");
        }
        return folder;
    }
}
