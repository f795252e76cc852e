package dev.dl4jfms.cli;

import picocli.CommandLine.Option;

/**
 * Options shared by {@code fms demo} and {@code fms search} (use as a {@code @Mixin}). Unset values (null) take the
 * command's defaults, or on {@code --resume} the values stored with the study.
 */
public final class SearchOptions {

    @Option(names = "--budget", paramLabel = "<epochs>",
            description = "Total epochs the search may train, summed over trials (on --resume: the stored "
                    + "budget unless given; it may be raised).")
    Integer budget;

    @Option(names = "--max-epochs", paramLabel = "<epochs>",
            description = "B_max: the most epochs one configuration is trained.")
    Integer maxEpochs;

    @Option(names = "--pool", paramLabel = "<n>", description = "Configurations drawn from the search space.")
    Integer pool;

    @Option(names = "--warmup", paramLabel = "<n>",
            description = "Configurations trained one epoch before the forecaster decides (default 4).")
    Integer warmup;

    @Option(names = "--seed", paramLabel = "<n>", description = "Seed of the data subsets, pool and policy (default 1).")
    Long seed;

    @Option(names = "--train", paramLabel = "<n>", description = "Training examples (a seeded subset).")
    Integer train;

    @Option(names = "--val", paramLabel = "<n>", description = "Validation examples (a seeded subset).")
    Integer val;

    @Option(names = "--batch", paramLabel = "<n>", defaultValue = "64", description = "Minibatch size (default 64).")
    int batch;

    @Option(names = "--forecaster", paramLabel = "<name>",
            description = "Forecaster of the freeze-thaw policy: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ForecasterNames.class)
    String forecaster;

    @Option(names = "--concurrency", paramLabel = "<n>",
            description = "Trials training at the same time (Arbiter tasks; default 2).")
    Integer concurrency;

    @Option(names = "--progress-every", paramLabel = "<s>", defaultValue = "10",
            description = "Seconds between progress lines when stderr is not a terminal (default 10).")
    int progressEvery;

    @Option(names = "--resume",
            description = "Continue the study already in the store (same settings; --budget may raise its budget).")
    boolean resume;

    /** The {@code --forecaster} values, for the help text. */
    static final class ForecasterNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(dev.dl4jfms.examples.search.ForecasterChoice.values())
                    .map(dev.dl4jfms.examples.search.ForecasterChoice::option).iterator();
        }
    }

    static int positive(Integer value, int fallback, String option) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new CliException(option + " must be a positive number, got " + v);
        }
        return v;
    }
}
