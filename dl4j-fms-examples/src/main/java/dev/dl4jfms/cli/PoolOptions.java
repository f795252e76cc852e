package dev.dl4jfms.cli;

import picocli.CommandLine.Option;

/**
 * The pool of configurations and the data subset it trains on: {@code --pool}, {@code --max-epochs}, {@code --seed},
 * {@code --train}, {@code --val} (use as a {@code @Mixin}). Shared by {@code fms demo}, {@code fms search} (through
 * {@link SearchOptions}) and {@code fms hub build}; unset values (null) take the command's defaults, which its
 * description states.
 */
public final class PoolOptions {

    @Option(names = "--max-epochs", paramLabel = "<epochs>",
            description = "B_max: the most epochs one configuration is trained.")
    Integer maxEpochs;

    @Option(names = "--pool", paramLabel = "<n>",
            description = "Pool size: configurations drawn from the search space.")
    Integer size;

    @Option(names = "--seed", paramLabel = "<n>",
            description = "Seed of the pool and the data subsets (and of a search's policy).")
    Long seed;

    @Option(names = "--train", paramLabel = "<n>", description = "Training examples (a seeded subset).")
    Integer train;

    @Option(names = "--val", paramLabel = "<n>", description = "Validation examples (a seeded subset).")
    Integer val;

    /** {@code --pool}, else {@code fallback} (null: none); checked to be positive. */
    Integer size(Integer fallback) {
        return OptionChecks.positive(size, fallback, "--pool");
    }

    /** {@code --max-epochs}, else {@code fallback} (null: none); checked to be positive. */
    Integer maxEpochs(Integer fallback) {
        return OptionChecks.positive(maxEpochs, fallback, "--max-epochs");
    }

    /** {@code --train}, else {@code fallback} (null: none); checked to be positive. */
    Integer train(Integer fallback) {
        return OptionChecks.positive(train, fallback, "--train");
    }

    /** {@code --val}, else {@code fallback} (null: none); checked to be positive. */
    Integer val(Integer fallback) {
        return OptionChecks.positive(val, fallback, "--val");
    }
}
