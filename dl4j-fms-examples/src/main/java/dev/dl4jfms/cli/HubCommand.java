package dev.dl4jfms.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fms hub ...}: build and export benchmark hubs (tabular benchmarks made by real training). */
@Command(name = "hub", mixinStandardHelpOptions = true,
        description = "Build and export benchmark hubs (every configuration of a pool trained to B_max, per epoch "
                + "metrics and checkpoints in a store).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {HubBuildCommand.class, HubExportCommand.class})
final class HubCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
