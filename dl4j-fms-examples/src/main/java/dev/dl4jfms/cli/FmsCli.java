package dev.dl4jfms.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code fms} command line (run it with {@code ./fms} from the repository root).
 *
 * <p><b>Adding a command.</b> Write a class annotated with {@link Command} that implements
 * {@code Callable<Integer>} (returning the exit code) in this package, and add its constructor to {@link #SUBCOMMANDS}.
 * A command on a store extends {@link StoreBackedCommand} ({@code --store}); a command that only groups
 * subcommands extends {@link CommandGroup}. Options that several commands take are declared once, in
 * {@link DataFolderOption}, {@link ReportFolderOption}, {@link BudgetOption}, {@link PoolOptions} and
 * {@link SearchOptions}: use them as a {@code @Mixin}, or as an optional {@code @ArgGroup} where the option is
 * required in its class but optional for your command. Print results to the {@code CommandLine}'s
 * {@code getOut()} writer, and throw {@link CliException} for user errors: the message becomes one line on stderr and
 * the exit code {@link #EXIT_USAGE}; any other exception gives {@link #EXIT_FAILURE}, with its stack trace only under
 * {@code --debug}.
 */
@Command(name = "fms", mixinStandardHelpOptions = true, version = "dl4j-fms 0.1.0-SNAPSHOT",
        description = "Forecasting Model Search for Deeplearning4j: checkpoint store and search tools.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Run 'fms COMMAND --help' for the options of a command."})
public final class FmsCli {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** The command ran but failed (I/O, damaged store, ...). */
    public static final int EXIT_FAILURE = 1;
    /** Bad options, arguments or input files. */
    public static final int EXIT_USAGE = 2;

    /**
     * Top-level commands; each is its own class. Add new ones here. Suppliers, not instances: picocli keeps option
     * values in the command objects, so every {@link #commandLine} gets fresh ones (a reused instance would carry
     * a previous run's options as its "defaults").
     */
    private static final List<Supplier<Object>> SUBCOMMANDS = List.of(
            StoreCommand::new, DemoCommand::new, SearchCommand::new, ReportCommand::new, HubCommand::new,
            BenchCommand::new, MetaTrainCommand::new);

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces on errors and informational logging on stderr.")
    boolean debug;

    private FmsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        if (debug && System.getProperty("org.slf4j.simpleLogger.log.dev.dl4jfms") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.dl4jfms", "info");
        }
        return commandLine(out, err, debug).execute(args);
    }

    /** The configured picocli command tree. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug) {
        CommandLine cli = new CommandLine(new FmsCli());
        SUBCOMMANDS.forEach(command -> cli.addSubcommand(command.get()));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("fms: " + e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            if (e instanceof CliException) {
                errors.println("fms: " + e.getMessage());
            } else {
                errors.println("fms: error: " + describe(e));
            }
            if (debug) {
                e.printStackTrace(errors);
            }
            errors.flush();
            return e instanceof CliException ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
