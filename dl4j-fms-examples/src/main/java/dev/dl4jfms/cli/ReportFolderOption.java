package dev.dl4jfms.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -o/--out <dir>}: where a study's report goes. As a {@code @Mixin} the option is required; {@code fms demo}
 * and {@code fms search} declare it as {@code @ArgGroup(exclusive = false, multiplicity = "0..1")} (null when absent)
 * and fall back to their own folder, which their descriptions state.
 */
public final class ReportFolderOption {

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "<dir>",
            description = "Folder for the report (report.html and its plots).")
    Path folder;

    /** The folder of an optional {@code --out} ({@code option} null when absent), else {@code fallback}. */
    static Path orElse(ReportFolderOption option, String fallback) {
        return option == null ? Path.of(fallback) : option.folder;
    }
}
