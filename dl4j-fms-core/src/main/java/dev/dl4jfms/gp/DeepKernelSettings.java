package dev.dl4jfms.gp;

import dev.dl4jfms.embed.WeightEmbedder;
import dev.dl4jfms.graph.NetworkWeights;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/** The settings of a {@link DeepKernelForecaster}, filled and validated by {@link DeepKernelForecasterBuilder}. */
final class DeepKernelSettings {
    int inputDimension;
    WeightEmbedder embedder;
    Function<String, NetworkWeights> weightsLoader;
    DataType dataType = DataType.DOUBLE;
    long seed = 12345L;
    double learningRate = 1e-3;
    double gpLearningRate = DeepKernelForecaster.DEFAULT_GP_LEARNING_RATE;
    int coldRefits = 10;
    int coldSteps = 1000;
    int warmSteps = 50;
    boolean useCurve = true;
    boolean includeNoise = true;
    int warmSubsetSize = DeepKernelForecaster.DEFAULT_WARM_SUBSET_SIZE;
    int earlyStopPatience;
    double earlyStopMinImprovement;
}
