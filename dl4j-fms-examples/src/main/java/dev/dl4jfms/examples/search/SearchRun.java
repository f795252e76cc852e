package dev.dl4jfms.examples.search;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsTerminationCondition;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.arbiter.FmsTaskCreator;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.Incumbent;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.Study;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.nd4j.evaluation.classification.Evaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FMS search with Arbiter: {@link FmsCandidateGenerator} (freeze-thaw policy with the chosen forecaster) +
 * {@link LocalOptimizationRunner} with {@code concurrency} tasks + {@link FmsTaskCreator} training segments with
 * checkpoint capture into the store. Validation accuracy is the metric. An existing study of the same name in the
 * store is resumed (same space, pool size, seed and B_max; the budget may grow).
 *
 * <p>At the end the forecasts at B_max of every trial (when the forecaster has been fitted) are journalled as a
 * {@value #FORECASTS_EVENT} event, so a report written later from the store alone can show them.
 */
public final class SearchRun {

    /** Journal event holding the final forecasts at B_max (raw metric units). */
    public static final String FORECASTS_EVENT = dev.dl4jfms.arbiter.FinalForecasts.EVENT;

    private static final Logger log = LoggerFactory.getLogger(SearchRun.class);

    private final Builder b;

    /** What a finished search reports. */
    public record Result(long studyId, String studyName, int spentEpochs, int budgetEpochs,
                         Optional<Incumbent> incumbent, Duration elapsed) {
    }

    private SearchRun(Builder b) {
        this.b = b;
    }

    public static Builder builder(ParameterSpace<?> space, DataProvider data, CheckpointStore store) {
        return new Builder(space, data, store);
    }

    /** Runs the search until the study is finished (budget spent or nothing left to train). */
    public Result run() {
        long started = System.nanoTime();
        dev.dl4jfms.study.StudySettings settings = dev.dl4jfms.study.StudySettings.builder()
                .budgetEpochs(b.budgetEpochs).maxEpochsPerTrial(b.maxEpochs).poolSize(b.poolSize).seed(b.seed)
                .warmupConfigs(b.warmupConfigs).metric(ValidationMetric.ACCURACY.key(), MetricDirection.MAXIMIZE)
                .build();
        Policy policy = b.forecaster.policy(b.store, b.space, b.poolSize, settings, b.prior);
        FmsCandidateGenerator generator = FmsCandidateGenerator.builder(b.space).store(b.store)
                .studyName(b.studyName).budgetEpochs(b.budgetEpochs).maxEpochsPerTrial(b.maxEpochs)
                .poolSize(b.poolSize).seed(b.seed).warmupConfigs(b.warmupConfigs)
                .metric(ValidationMetric.ACCURACY.key(), MetricDirection.MAXIMIZE).policy(policy).build();
        Study study = generator.study();
        if (b.onStudyOpened != null) {
            b.onStudyOpened.accept(study.studyId().orElseThrow());
        }
        OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator).dataProvider(b.data)
                .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                .terminationConditions(new FmsTerminationCondition()).build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(b.concurrency, conf,
                new FmsTaskCreator(b.store, ValidationMetric.ACCURACY));
        SearchProgress progress = b.progress == null ? null
                : SearchProgress.start(generator, b.progress, b.progressOnTerminal, b.progressIntervalSeconds,
                b.concurrency);
        try {
            runner.execute();
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        generator.journalFinalForecasts(); // once: done already if the study finished under the runner
        return new Result(study.studyId().orElseThrow(), study.name(), study.spentEpochs(),
                study.settings().budgetEpochs(), study.incumbent(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Validating builder of {@link SearchRun}. */
    public static final class Builder {
        private final ParameterSpace<?> space;
        private final DataProvider data;
        private final CheckpointStore store;
        private String studyName = "fms";
        private int budgetEpochs = 30;
        private int maxEpochs = 6;
        private int poolSize = 40;
        private int warmupConfigs = 4;
        private long seed = 1;
        private int concurrency = 2;
        private ForecasterChoice forecaster = ForecasterChoice.defaultChoice();
        private dev.dl4jfms.transfer.TransferPrior prior;
        private PrintWriter progress;
        private boolean progressOnTerminal;
        private int progressIntervalSeconds = 10;
        private java.util.function.LongConsumer onStudyOpened;

        private Builder(ParameterSpace<?> space, DataProvider data, CheckpointStore store) {
            this.space = Objects.requireNonNull(space, "search space");
            this.data = Objects.requireNonNull(data, "data provider");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Study name in the store (default {@code fms}); an existing study of that name is resumed. */
        public Builder studyName(String v) { this.studyName = v; return this; }

        /** Total epochs the search may train (default 30). */
        public Builder budgetEpochs(int v) { this.budgetEpochs = v; return this; }

        /** B_max, the most epochs one trial is trained (default 6). */
        public Builder maxEpochs(int v) { this.maxEpochs = v; return this; }

        /** Configurations drawn from the space (default 40). */
        public Builder poolSize(int v) { this.poolSize = v; return this; }

        /** Configurations trained one step before the forecaster decides (default 4). */
        public Builder warmupConfigs(int v) { this.warmupConfigs = v; return this; }

        /** Seed of the pool draw, the policy and the forecaster (default 1). */
        public Builder seed(long v) { this.seed = v; return this; }

        /** Arbiter tasks training at the same time (default 2). */
        public Builder concurrency(int v) { this.concurrency = v; return this; }

        public Builder forecaster(ForecasterChoice v) { this.forecaster = Objects.requireNonNull(v); return this; }

        /** A meta-trained prior to start the forecaster from (docs/transfer.md); null (default): a cold start. */
        public Builder prior(dev.dl4jfms.transfer.TransferPrior v) { this.prior = v; return this; }

        /**
         * Live progress to {@code err}: rewritten in place when {@code terminal}, else one line every
         * {@code intervalSeconds}. Null (default): no progress line.
         */
        public Builder progress(PrintWriter err, boolean terminal, int intervalSeconds) {
            this.progress = err;
            this.progressOnTerminal = terminal;
            this.progressIntervalSeconds = intervalSeconds;
            return this;
        }

        /** Called with the study id once the study is open (created or resumed), before any training. */
        public Builder onStudyOpened(java.util.function.LongConsumer callback) {
            this.onStudyOpened = callback;
            return this;
        }

        public SearchRun build() {
            require(studyName != null && !studyName.isBlank(), "study name must be non-empty");
            require(maxEpochs >= 1, "max epochs per trial must be >= 1, got " + maxEpochs);
            require(budgetEpochs >= maxEpochs, "budget (" + budgetEpochs + " epochs) must be at least the max epochs "
                    + "per trial (" + maxEpochs + ")");
            require(poolSize >= 2, "pool size must be >= 2, got " + poolSize);
            require(warmupConfigs >= 1 && warmupConfigs <= poolSize, "warm-up configurations must be in 1.."
                    + poolSize + ", got " + warmupConfigs);
            require(concurrency >= 1, "concurrency must be >= 1, got " + concurrency);
            require(progressIntervalSeconds >= 1, "progress interval must be >= 1 s");
            return new SearchRun(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
