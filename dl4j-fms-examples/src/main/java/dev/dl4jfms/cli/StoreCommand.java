package dev.dl4jfms.cli;

import picocli.CommandLine.Command;

/** {@code fms store ...}: inspect and fill a checkpoint store. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Inspect and fill a checkpoint store (studies, trials, learning curves, weights).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {StoreImportCommand.class, StoreListCommand.class, StoreShowCommand.class,
                StoreVerifyCommand.class, StoreExportCommand.class})
final class StoreCommand extends CommandGroup {
}
