package dev.dl4jfms.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fms store ...}: inspect and fill a checkpoint store. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Inspect and fill a checkpoint store (studies, trials, learning curves, weights).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {StoreImportCommand.class, StoreListCommand.class, StoreShowCommand.class,
                StoreVerifyCommand.class, StoreExportCommand.class})
final class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
