package dev.dl4jfms.it;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
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
 * Child JVM of {@link KillResumeStudyTest}: runs (or resumes) study {@value #STUDY} in the SQLite store given as
 * the only argument, with Arbiter's {@link LocalOptimizationRunner} (2 tasks) and real DL4J training. Protocol on
 * stdout (one line each): {@code POOL <fingerprint>} once the study is open, {@code SPENT <epochs>} after every
 * reported segment, {@code DONE <epochs>} when the run ended.
 */
public final class StudyChildMain {

    static final String STUDY = "kill-resume";
    static final int BUDGET = 24;
    static final int MAX_EPOCHS = 4;

    private StudyChildMain() {
    }

    static FmsCandidateGenerator generator(SqliteCheckpointStore store) {
        return FmsCandidateGenerator.builder(ItSpaces.mlpSpace()).store(store).studyName(STUDY)
                .budgetEpochs(BUDGET).maxEpochsPerTrial(MAX_EPOCHS).poolSize(8).seed(21).warmupConfigs(3)
                .policy("random").build();
    }

    public static void main(String[] args) throws Exception {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(Path.of(args[0]))) {
            FmsCandidateGenerator generator = generator(store);
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
