package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.StudySettings;
import java.util.List;
import java.util.Locale;

/** Builds the non-forecasting policies by the names a command line or benchmark uses. */
public final class Policies {

    /** Names accepted by {@link #baseline}. */
    public static final List<String> BASELINE_NAMES = List.of("random", "topk1", "successive-halving", "hyperband",
            "asha");

    private Policies() {
    }

    /**
     * A baseline policy: {@code random}, {@code topk1} (k = 3, screening as many candidates as the budget allows),
     * {@code successive-halving} (alias {@code sh}), {@code hyperband}, {@code asha}; η = 3.
     *
     * @throws IllegalArgumentException naming the known policies for an unknown name
     */
    public static Policy baseline(String name, StudySettings settings, int poolSize) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "random" -> new RandomSearchPolicy();
            case "topk1" -> TopKAfterOneEpochPolicy.forBudget(settings, poolSize, 3);
            case "successive-halving", "sh" -> new SuccessiveHalvingPolicy(3);
            case "hyperband" -> new HyperbandPolicy(3);
            case "asha" -> new AshaPolicy(3);
            default -> throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + BASELINE_NAMES
                    + " (forecasting policies are built with FreezeThawPolicy.builder)");
        };
    }
}
