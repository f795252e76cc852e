package dev.dl4jfms.examples;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsPolicies;
import dev.dl4jfms.arbiter.FmsTerminationCondition;
import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataFolders;
import dev.dl4jfms.examples.data.IdxDataLoader;
import dev.dl4jfms.examples.search.InMemoryDataProvider;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.arbiter.FmsTaskCreator;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.Study;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.eval.Evaluation;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The complete program of docs/arbiter.md (the document shows this file; {@code ArbiterGraphSearchTest} runs it and
 * checks that the two agree): an FMS search with Arbiter's own runner over a ComputationGraphSpace on MNIST-format
 * IDX images. Arguments: [IDX folder (default: Debian's Fashion-MNIST or DL4J's MNIST cache)] [store file (default
 * fms-arbiter/fms.db)] [training images (default 3000)] [epoch budget (default 24)].
 */
public final class ArbiterGraphSearch {

    private ArbiterGraphSearch() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = IdxDataFolders.resolve(args.length > 0 ? Path.of(args[0]) : null);
        Path storeFile = Path.of(args.length > 1 ? args[1] : "fms-arbiter/fms.db");
        int images = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int budget = args.length > 3 ? Integer.parseInt(args[3]) : 24;

        // 1. Data: a seeded subset of the IDX training images, a quarter of it held out for validation.
        IdxData data = IdxDataLoader.builder().folder(folder).subsetSize(images).validationFraction(0.25).seed(1)
                .build().load();
        DataProvider provider = new InMemoryDataProvider(data.train(), data.validation(), 64, 1);

        // 2. The space. A fixed seed makes every configuration's initial weights reproducible (the weight
        //    embedding of an untried configuration reads them). Arbiter's AdamSpace(lr) leaves beta1, beta2 and
        //    epsilon unset and the network then fails to train: always give all four.
        ComputationGraphSpace space = new ComputationGraphSpace.Builder().seed(42)
                .updater(new AdamSpace(new ContinuousParameterSpace(1e-4, 1e-2), new FixedValue<>(0.9),
                        new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                .addInputs("in")
                .addLayer("hidden", new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(16, 128))
                        .activation(new DiscreteParameterSpace<>(Activation.RELU, Activation.TANH)).build(), "in")
                .addLayer("out", new OutputLayerSpace.Builder().nOut(data.numClasses())
                        .activation(Activation.SOFTMAX).lossFunction(LossFunctions.LossFunction.MCXENT).build(),
                        "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(data.numInputs())).build();

        // 3. The store holds every epoch's checkpoint and the study's journal; closing it ends the search.
        Files.createDirectories(storeFile.toAbsolutePath().getParent());
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(storeFile)) {
            FmsCandidateGenerator generator = FmsCandidateGenerator.builder(space).store(store)
                    .studyName("graph-mlp").budgetEpochs(budget).maxEpochsPerTrial(4).poolSize(12).seed(1)
                    .warmupConfigs(3).metric(ValidationMetric.ACCURACY.key(), MetricDirection.MAXIMIZE)
                    .policy("fms-stats").surrogateSchedule(new FmsPolicies.Schedule(2, 150, 25)).build();
            OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                    .candidateGenerator(generator).dataProvider(provider)
                    .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                    .terminationConditions(new FmsTerminationCondition()).build();

            // 4. Arbiter's runner trains two segments at a time; the generator decides what each one trains.
            new LocalOptimizationRunner(2, conf, new FmsTaskCreator(store, ValidationMetric.ACCURACY)).execute();

            Study study = generator.study();
            System.out.printf("study '%s': %d of %d epochs spent, best %s%n", study.name(), study.spentEpochs(),
                    budget, study.incumbent().map(i -> "val_accuracy " + i.rawValue() + " (trial " + i.trialId()
                            + ", epoch " + i.epoch() + ")").orElse("none"));
        }
    }
}
