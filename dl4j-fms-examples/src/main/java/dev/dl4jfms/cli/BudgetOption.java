package dev.dl4jfms.cli;

import picocli.CommandLine.Option;

/**
 * {@code --budget}: a study's epoch budget (use as a {@code @Mixin}; {@code fms demo}, {@code fms search},
 * {@code fms bench}). Unset, it takes the command's default, which its description states.
 */
public final class BudgetOption {

    @Option(names = "--budget", paramLabel = "<epochs>",
            description = "Epoch budget: total epochs a study may train, summed over its trials.")
    Integer budget;

    /** {@code --budget}, else {@code fallback} (null: none); checked to be positive. */
    Integer budget(Integer fallback) {
        return OptionChecks.positive(budget, fallback, "--budget");
    }
}
