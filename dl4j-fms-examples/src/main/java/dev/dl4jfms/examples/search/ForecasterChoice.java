package dev.dl4jfms.examples.search;

import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.policy.Policy;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.store.CheckpointStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The forecaster behind the freeze-thaw policy of the examples and the command line ({@code --forecaster}).
 * The policy name (stored with the study, checked on resume) is {@code fms-<option>}.
 */
public enum ForecasterChoice {
    /** Population-trend baseline: last value + mean per-epoch increments of the population. */
    TREND("trend", "population-trend baseline (no model fit)");

    private final String option;
    private final String description;

    ForecasterChoice(String option, String description) {
        this.option = option;
        this.description = description;
    }

    /** The default choice of the examples. */
    public static ForecasterChoice defaultChoice() {
        return TREND;
    }

    /** The value of {@code --forecaster}. */
    public String option() {
        return option;
    }

    public String description() {
        return description;
    }

    /** The policy name stored with the study. */
    public String policyName() {
        return "fms-" + option;
    }

    /**
     * Parses a {@code --forecaster} value.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ForecasterChoice parse(String value) {
        for (ForecasterChoice c : values()) {
            if (c.option.equalsIgnoreCase(value.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown forecaster '" + value + "'; choose one of " + options());
    }

    /** The accepted values, comma separated. */
    public static String options() {
        return Arrays.stream(values()).map(ForecasterChoice::option).collect(Collectors.joining(", "));
    }

    /**
     * The freeze-thaw policy with this forecaster.
     *
     * @param store          the study's store (weight embedders read checkpoints from it)
     * @param inputDimension number of hyperparameters of the space (unit-cube dimension)
     * @param seed           seed of the forecaster's initialisation
     */
    public Policy policy(CheckpointStore store, int inputDimension, long seed) {
        return switch (this) {
            case TREND -> FreezeThawPolicy.builder(new PopulationTrendForecaster()).name(policyName()).build();
        };
    }

    @Override
    public String toString() {
        return option.toLowerCase(Locale.ROOT);
    }
}
