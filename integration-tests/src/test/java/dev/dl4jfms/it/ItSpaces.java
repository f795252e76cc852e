package dev.dl4jfms.it;

import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Arbiter search spaces of the integration tests (fixed seed, so init:<poolIndex> weights are reproducible). */
final class ItSpaces {

    private ItSpaces() {
    }

    /** MLP on 784 inputs: Adam learning rate (log-uniform-ish wide range), hidden width and L2. */
    static MultiLayerSpace mlpSpace() {
        return mlpSpace(new ContinuousParameterSpace(1e-4, 1e-1));
    }

    static MultiLayerSpace mlpSpace(ParameterSpace<Double> learningRate) {
        return mlpSpace(learningRate, new IntegerParameterSpace(8, 64));
    }

    static MultiLayerSpace mlpSpace(ParameterSpace<Double> learningRate, ParameterSpace<Integer> width) {
        return new MultiLayerSpace.Builder().seed(17)
                .updater(new AdamSpace(learningRate, new FixedValue<>(0.9), new FixedValue<>(0.999),
                        new FixedValue<>(1e-8)))
                .l2(new ContinuousParameterSpace(1e-6, 1e-2))
                .addLayer(new DenseLayerSpace.Builder().nOut(width).activation(Activation.RELU).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(10).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(784)).build();
    }
}
