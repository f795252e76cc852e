package dev.dl4jfms.cli;

import picocli.CommandLine.Command;

/** {@code fms hub ...}: build and export benchmark hubs (tabular benchmarks made by real training). */
@Command(name = "hub", mixinStandardHelpOptions = true,
        description = "Build and export benchmark hubs (every configuration of a pool trained to B_max, per epoch "
                + "metrics and checkpoints in a store).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {HubBuildCommand.class, HubExportCommand.class})
final class HubCommand extends CommandGroup {
}
