package dev.dl4jfms.examples.search;

import dev.dl4jfms.embed.GraphMetanetworkEmbedder;
import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * The forecaster behind the freeze-thaw policy of the examples and the command line ({@code --forecaster}).
 * The policy name (stored with the study, checked on resume) is {@code fms-<option>}.
 */
public enum ForecasterChoice {
    /** FMS: deep-kernel GP with the layer-statistics embedding of the checkpointed weights (default). */
    GP_STATS("gp-stats", "deep-kernel GP + layer-statistics weight embedding (FMS)"),
    /** FMS: deep-kernel GP with the graph-metanetwork embedding, trained end to end with the GP. */
    GP_GMN("gp-gmn", "deep-kernel GP + graph-metanetwork weight embedding (FMS, slower)"),
    /** DyHPO: the same deep-kernel GP without the weight branch. */
    DYHPO("dyhpo", "deep-kernel GP without weights (DyHPO)"),
    /** Population-trend baseline: last value + mean per-epoch increments of the population. */
    TREND("trend", "population-trend baseline (no model fit)");

    /**
     * GP fit schedule of the examples: the first 2 fits from scratch with 150 Adam steps, later fits 25 warm steps.
     * The library default (10 × 1000 cold steps) suits long studies; on 2 cores it would dominate a few-minute demo.
     */
    static final int COLD_REFITS = 2;
    static final int COLD_STEPS = 150;
    static final int WARM_STEPS = 25;

    private final String option;
    private final String description;

    ForecasterChoice(String option, String description) {
        this.option = option;
        this.description = description;
    }

    /** The default choice of the examples. */
    public static ForecasterChoice defaultChoice() {
        return GP_STATS;
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
     * @param store    the study's store (the weight branch reads checkpoints from it)
     * @param space    the search space
     * @param poolSize configurations in the study's pool
     * @param seed     seed of the pool draw and the forecaster's initialisation
     */
    public Policy policy(CheckpointStore store, ParameterSpace<?> space, int poolSize, long seed) {
        Forecaster forecaster = switch (this) {
            case TREND -> new PopulationTrendForecaster();
            case DYHPO -> gp(space, seed).build();
            case GP_STATS -> gp(space, seed).embedder(new LayerStatisticsEmbedder())
                    .weightsLoader(new dev.dl4jfms.arbiter.StudyWeightsLoader(store, CandidatePool.draw(space, poolSize, seed))).build();
            case GP_GMN -> gp(space, seed).embedder(GraphMetanetworkEmbedder.builder().seed(seed).build())
                    .weightsLoader(new dev.dl4jfms.arbiter.StudyWeightsLoader(store, CandidatePool.draw(space, poolSize, seed))).build();
        };
        return FreezeThawPolicy.builder(forecaster).name(policyName()).build();
    }

    /**
     * The freeze-thaw policy with this forecaster, started from {@code prior} when it is not null (docs/transfer.md):
     * the prior's forecaster next to the cold one under the negative-transfer guard.
     *
     * @param settings the study's settings (metric, direction, seed; the prior must fit them)
     * @throws IllegalArgumentException when this choice has no deep-kernel forecaster ({@code trend}) or the space
     *                                  is not a MultiLayerSpace; {@link dev.dl4jfms.transfer.PriorMismatchException}
     *                                  when the prior was made for another forecaster, metric or direction
     */
    public Policy policy(CheckpointStore store, ParameterSpace<?> space, int poolSize,
                         dev.dl4jfms.study.StudySettings settings, dev.dl4jfms.transfer.TransferPrior prior) {
        if (prior == null) {
            return policy(store, space, poolSize, settings.seed());
        }
        FreezeThawPolicy withPrior = dev.dl4jfms.arbiter.FmsPolicies.freezeThaw(fmsPolicyName(), store,
                CandidatePool.draw(space, poolSize, settings.seed()), settings,
                new dev.dl4jfms.arbiter.FmsPolicies.Schedule(COLD_REFITS, COLD_STEPS, WARM_STEPS), prior);
        // the command line's policy name, so that a study resumes with or without the prior under one name
        return FreezeThawPolicy.builder(withPrior.forecaster()).name(policyName()).build();
    }

    /**
     * The {@link dev.dl4jfms.arbiter.FmsPolicies} name of this forecaster (the forecaster kind a prior is made for).
     *
     * @throws IllegalArgumentException for {@code trend}, which has no deep-kernel forecaster
     */
    public String fmsPolicyName() {
        return switch (this) {
            case GP_STATS -> dev.dl4jfms.arbiter.FmsPolicies.FMS_STATISTICS;
            case GP_GMN -> dev.dl4jfms.arbiter.FmsPolicies.FMS_GMN;
            case DYHPO -> dev.dl4jfms.arbiter.FmsPolicies.DYHPO;
            case TREND -> throw new IllegalArgumentException("a prior needs a deep-kernel forecaster (gp-stats, gp-gmn "
                    + "or dyhpo), not " + option);
        };
    }

    private static DeepKernelForecasterBuilder gp(ParameterSpace<?> space, long seed) {
        return DeepKernelForecaster.builder().inputDimension(space.numParameters()).seed(seed)
                .schedule(COLD_REFITS, COLD_STEPS, WARM_STEPS);
    }

    @Override
    public String toString() {
        return option.toLowerCase(Locale.ROOT);
    }
}
