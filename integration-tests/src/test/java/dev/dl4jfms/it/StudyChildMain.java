package dev.dl4jfms.it;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsPolicies;
import dev.dl4jfms.arbiter.FmsTerminationCondition;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.arbiter.FmsTaskCreator;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.nio.file.Path;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Child JVM of {@link KillResumeStudyTest}: runs (or resumes) a study in the SQLite store given as the first
 * argument, with Arbiter's {@link LocalOptimizationRunner} (2 tasks) and real DL4J training. The optional second
 * argument names the policy (default {@code random}): study {@value #STUDY} for {@code random}, {@code
 * kill-resume-<policy>} for a forecasting policy such as {@code fms-stats}, which runs a light surrogate schedule
 * ({@value #SURROGATE_SCHEDULE}) on a larger pool so the budget stays reachable when trials are stopped as
 * dominated. Protocol on stdout (one line each): {@code POOL <fingerprint>} once the study is open,
 * {@code SPENT <epochs>} after every reported segment, {@code DONE <epochs>} when the run ended.
 */
public final class StudyChildMain {

    static final String STUDY = "kill-resume";
    static final int BUDGET = 24;
    static final int MAX_EPOCHS = 4;
    static final String RANDOM = "random";
    static final String SURROGATE_SCHEDULE = "2/200/20";

    private StudyChildMain() {
    }

    /** The study name used for {@code policy}. */
    static String studyName(String policy) {
        return RANDOM.equals(policy) ? STUDY : STUDY + "-" + policy;
    }

    static FmsCandidateGenerator generator(SqliteCheckpointStore store, String policy) {
        FmsCandidateGenerator.Builder b = FmsCandidateGenerator.builder(ItSpaces.mlpSpace()).store(store)
                .studyName(studyName(policy)).budgetEpochs(BUDGET).maxEpochsPerTrial(MAX_EPOCHS).seed(21)
                .warmupConfigs(3).policy(policy);
        if (FmsPolicies.isForecasting(policy)) {
            b.poolSize(12).surrogateSchedule(FmsPolicies.Schedule.parse(SURROGATE_SCHEDULE));
        } else {
            b.poolSize(8);
        }
        return b.build();
    }

    public static void main(String[] args) throws Exception {
        String policy = args.length > 1 ? args[1] : RANDOM;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(Path.of(args[0]))) {
            FmsCandidateGenerator generator = generator(store, policy);
            OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                    .candidateGenerator(generator)
                    .dataProvider(new FashionMnistProvider(600, 200, 50, 3))
                    .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                    .terminationConditions(new FmsTerminationCondition()).build();
            LocalOptimizationRunner runner = new LocalOptimizationRunner(2, conf,
                    new FmsTaskCreator(store, ValidationMetric.ACCURACY));
            emit("POOL " + generator.study().pool().fingerprint());
            runner.addListeners(new BaseStatusListener() {
                @Override
                public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner r,
                                                    OptimizationResult result) {
                    if (result != null) {
                        emit("SPENT " + generator.spentEpochs());
                    }
                }
            });
            runner.execute();
            emit("DONE " + generator.spentEpochs());
        }
        System.exit(0); // Arbiter's runner leaves non-daemon threads behind
    }

    @SuppressWarnings("java:S106") // the protocol to the parent process is stdout
    private static void emit(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
