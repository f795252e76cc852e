package dev.dl4jfms.arbiter;

import dev.dl4jfms.embed.GraphMetanetworkEmbedder;
import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.embed.WeightEmbedder;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.transfer.NamedHyperparameters;
import dev.dl4jfms.transfer.TransferPrior;
import java.util.ArrayList;
import java.util.Map;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.StudySettings;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds the forecasting policies of FMS by name: {@link FreezeThawPolicy} driven by a {@link DeepKernelForecaster}
 * with one of three weight branches.
 * <ul>
 *   <li>{@value #DYHPO}: no weight branch (DyHPO: configuration + budget + learning curve);</li>
 *   <li>{@value #FMS_STATISTICS}: {@link LayerStatisticsEmbedder} of the checkpoint before the predicted epoch;</li>
 *   <li>{@value #FMS_GMN}: {@link GraphMetanetworkEmbedder}, trained end to end with the GP.</li>
 * </ul>
 * The weight branch reads weights through a {@link StudyWeightsLoader} over the study's store and pool. The name
 * is the policy's name in the study journal, so a study resumes only with the same choice; it is also all that
 * {@link FmsCandidateGenerator} serialises (plus the {@link Schedule}), rebuilding the policy when the study opens.
 */
public final class FmsPolicies {

    /** Deep-kernel GP without a weight branch. */
    public static final String DYHPO = "dyhpo";
    /** Deep-kernel GP with the layer-statistics embedding of the checkpoint. */
    public static final String FMS_STATISTICS = "fms-stats";
    /** Deep-kernel GP with the graph-metanetwork embedding of the checkpoint. */
    public static final String FMS_GMN = "fms-gmn";

    /** Every name {@link #freezeThaw} accepts. */
    public static final List<String> NAMES = List.of(DYHPO, FMS_STATISTICS, FMS_GMN);

    private FmsPolicies() {
    }

    /** True for a name of {@link #NAMES} (case-insensitive). */
    public static boolean isForecasting(String name) {
        return name != null && NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The freeze-thaw policy {@code name} for a study over {@code pool} whose checkpoints live in {@code store}.
     * The forecaster's seed is the study seed.
     *
     * @throws IllegalArgumentException for an unknown name (naming the known ones)
     */
    public static FreezeThawPolicy freezeThaw(String name, CheckpointStore store, CandidatePool pool,
                                              StudySettings settings, Schedule schedule) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(schedule, "schedule");
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        WeightEmbedder embedder = embedder(key, name, settings.seed());
        DeepKernelForecasterBuilder forecaster = DeepKernelForecaster.builder()
                .inputDimension(pool.dimension()).seed(settings.seed())
                .schedule(schedule.coldRefits(), schedule.coldSteps(), schedule.warmSteps());
        if (embedder != null) {
            Objects.requireNonNull(store, "store (the weight branch reads checkpoints)");
            if (!pool.hasSpace()) {
                throw new IllegalArgumentException("policy '" + key + "' resolves init:<poolIndex> weights from "
                        + "the pool's parameter space, but the pool was built from unit vectors only");
            }
            forecaster.embedder(embedder).weightsLoader(new StudyWeightsLoader(store, pool));
        }
        return FreezeThawPolicy.builder(forecaster.build()).name(key).build();
    }

    /**
     * {@link #freezeThaw(String, CheckpointStore, CandidatePool, StudySettings, Schedule)} started from a meta-trained
     * prior (docs/transfer.md): the policy decides with the prior's forecaster next to the cold one under the
     * negative-transfer guard ({@link TransferPrior#forStudy}). The prior must have been meta-trained for this
     * policy's forecaster and the study's metric and direction; the pool's configurations are read by name from
     * their DL4J configurations ({@link NamedHyperparameters}).
     *
     * @throws dev.dl4jfms.transfer.PriorMismatchException when the prior was made for another forecaster, metric or
     *                                                     direction
     * @throws IllegalArgumentException                    when the pool holds configurations other than
     *                                                     MultiLayerNetwork ones (not readable by name yet)
     */
    public static FreezeThawPolicy freezeThaw(String name, CheckpointStore store, CandidatePool pool,
                                              StudySettings settings, Schedule schedule, TransferPrior prior) {
        FreezeThawPolicy cold = freezeThaw(name, store, pool, settings, schedule);
        if (prior == null) {
            return cold;
        }
        String key = cold.name();
        prior.checkFits(key, settings.metricName(), settings.direction());
        if (!pool.hasSpace()) {
            throw new IllegalArgumentException("a prior reads configurations by name from the pool's parameter space, "
                    + "but the pool was built from unit vectors only");
        }
        List<double[]> unit = new ArrayList<>();
        List<Map<String, String>> named = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            unit.add(pool.get(i).unitVector());
            Object value = pool.value(i);
            if (!(value instanceof DL4JConfiguration dl4j)) {
                throw new IllegalArgumentException("a prior reads hyperparameters by name from MultiLayerSpace "
                        + "configurations; this space yields " + value.getClass().getSimpleName());
            }
            named.add(NamedHyperparameters.of(dl4j.getMultiLayerConfiguration()));
        }
        DeepKernelForecasterBuilder transferred = DeepKernelForecaster.builder().seed(settings.seed())
                .schedule(schedule.coldRefits(), schedule.coldSteps(), PRIOR_WARM_STEPS);
        WeightEmbedder embedder = embedder(key, name, settings.seed());
        if (embedder != null) {
            transferred.embedder(embedder).weightsLoader(new StudyWeightsLoader(store, pool));
        }
        try {
            return FreezeThawPolicy.builder(prior.forStudy(transferred, cold.forecaster(), unit, named)).name(key)
                    .build();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The weight embedder of FMS policy {@code key} (null for dyhpo); {@code name} as the caller gave it. */
    private static WeightEmbedder embedder(String key, String name, long seed) {
        return switch (key) {
            case DYHPO -> null;
            case FMS_STATISTICS -> new LayerStatisticsEmbedder();
            case FMS_GMN -> GraphMetanetworkEmbedder.builder().seed(seed).build();
            default -> throw new IllegalArgumentException("unknown FMS policy '" + name + "'; known: " + NAMES);
        };
    }

    /**
     * Adam steps on the GP hyperparameters per refit of a prior's forecaster (its network stays frozen): what the
     * leave-one-hub-out benchmark ran (docs/transfer.md).
     */
    public static final int PRIOR_WARM_STEPS = 30;

    /** {@link #freezeThaw(String, CheckpointStore, CandidatePool, StudySettings, Schedule)} with the default
     * {@link Schedule#DEFAULT}. */
    public static FreezeThawPolicy freezeThaw(String name, CheckpointStore store, CandidatePool pool,
                                              StudySettings settings) {
        return freezeThaw(name, store, pool, settings, Schedule.DEFAULT);
    }

    /**
     * The surrogate's training schedule (see {@link DeepKernelForecasterBuilder#schedule}): the first
     * {@code coldRefits} fits train {@code coldSteps} Adam steps from scratch, later fits {@code warmSteps} from the
     * previous parameters. Serialised as {@code coldRefits/coldSteps/warmSteps}.
     */
    public record Schedule(int coldRefits, int coldSteps, int warmSteps) {
        /** The spec's schedule: 10 cold fits of 1,000 steps, then 50 warm steps. */
        public static final Schedule DEFAULT = new Schedule(10, 1000, 50);

        public Schedule {
            if (coldRefits < 0 || coldSteps < 0 || warmSteps < 0) {
                throw new IllegalArgumentException("schedule values must be >= 0, got " + coldRefits + "/"
                        + coldSteps + "/" + warmSteps);
            }
        }

        /** Parses {@code coldRefits/coldSteps/warmSteps}, e.g. {@code 10/1000/50}. */
        public static Schedule parse(String text) {
            String[] parts = text == null ? new String[0] : text.trim().split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("surrogate schedule '" + text
                        + "' must be coldRefits/coldSteps/warmSteps, e.g. 10/1000/50");
            }
            try {
                return new Schedule(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("surrogate schedule '" + text + "' holds a non-integer value");
            }
        }

        @Override
        public String toString() {
            return coldRefits + "/" + coldSteps + "/" + warmSteps;
        }
    }
}
