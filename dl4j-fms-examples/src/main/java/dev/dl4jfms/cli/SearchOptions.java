package dev.dl4jfms.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code fms demo} and {@code fms search} (use as a {@code @Mixin}). Unset values (null) take the
 * command's defaults (seed 1 and the rest as {@link SearchSession.Defaults}), or on {@code --resume} the values
 * stored with the study.
 */
public final class SearchOptions {

    @Mixin
    BudgetOption budget;

    @Mixin
    PoolOptions pool;

    @Option(names = "--warmup", paramLabel = "<n>",
            description = "Configurations trained one epoch before the forecaster decides (default 4).")
    Integer warmup;

    @Option(names = "--batch", paramLabel = "<n>", defaultValue = "64", description = "Minibatch size (default 64).")
    int batch;

    @Option(names = "--forecaster", paramLabel = "<name>",
            description = "Forecaster of the freeze-thaw policy: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ForecasterNames.class)
    String forecaster;

    @Option(names = "--prior", paramLabel = "<file>|shipped|none",
            description = "Start the forecaster from a prior meta-trained on earlier studies (docs/transfer.md): a "
                    + "file written by 'fms meta-train', 'shipped' (meta-trained on the six transfer-family hubs, "
                    + "fms-stats only) or 'none' (default: a cold start).")
    String prior;

    @Option(names = "--transfer-from", paramLabel = "<store>[:study,...]",
            description = "Meta-train a prior on the studies of an earlier store (all, or those named) before the "
                    + "search and start from it (docs/transfer.md); a store without usable studies means a cold start.")
    String transferFrom;

    @Option(names = "--concurrency", paramLabel = "<n>",
            description = "Trials training at the same time (Arbiter tasks; default 2).")
    Integer concurrency;

    @Option(names = "--progress-every", paramLabel = "<s>", defaultValue = "10",
            description = "Seconds between progress lines when stderr is not a terminal (default 10).")
    int progressEvery;

    @Option(names = "--resume",
            description = "Continue the study already in the store with its stored settings and budget; only "
                    + "--budget may be given anew, to raise the budget.")
    boolean resume;

    /** The {@code --forecaster} values, for the help text. */
    static final class ForecasterNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(dev.dl4jfms.examples.search.ForecasterChoice.values())
                    .map(dev.dl4jfms.examples.search.ForecasterChoice::option).iterator();
        }
    }
}
