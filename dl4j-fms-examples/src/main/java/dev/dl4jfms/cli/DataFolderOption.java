package dev.dl4jfms.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data <dir>}: the folder with the example data. As a {@code @Mixin} the option is required; a command
 * where it is optional declares it as {@code @ArgGroup(exclusive = false, multiplicity = "0..1")} (the field is then
 * null when the option is absent) and states its default data in its description.
 */
public final class DataFolderOption {

    @Option(names = "--data", required = true, paramLabel = "<dir>",
            description = "Data folder: MNIST-format IDX files or, for CIFAR-10, binary data_batch_*.bin files or "
                    + "DL4J's PNG layout.")
    Path folder;

    /** The folder of an optional {@code --data} ({@code option} null when absent), checked to exist; else null. */
    static Path existing(DataFolderOption option) {
        return option == null ? null : OptionChecks.existingFolder(option.folder, "data folder");
    }
}
