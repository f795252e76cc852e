package dev.dl4jfms.examples.search;

import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.conf.updater.AdamSpace;
import org.deeplearning4j.arbiter.layers.ConvolutionLayerSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.layers.SubsamplingLayerSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The Arbiter search spaces of the examples. Every space has a fixed network seed: without one,
 * {@link MultiLayerSpace} stamps the current time into each configuration, so the same pool point would give
 * different initial weights (and a resumed study a different pool fingerprint).
 */
public final class SearchSpaces {

    private SearchSpaces() {
    }

    /**
     * An MLP for flattened images: Adam learning rate (1e-4..3e-2), L2, one or two hidden ReLU layers of 16..256
     * units. (No dropout space: Arbiter 1.0.0-beta7 cannot read a {@code DropoutSpace} back from JSON/YAML, and
     * these spaces are meant to be saved and passed to {@code fms search}.)
     *
     * @param numInputs  pixels per example
     * @param numClasses output classes
     * @param seed       network initialisation seed (fixed per space)
     */
    public static MultiLayerSpace mlp(int numInputs, int numClasses, long seed) {
        return new MultiLayerSpace.Builder().seed(seed)
                .updater(new AdamSpace(new ContinuousParameterSpace(1e-4, 3e-2), new FixedValue<>(0.9),
                        new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                .l2(new ContinuousParameterSpace(1e-6, 1e-3))
                .addLayer(new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(16, 256))
                        .activation(Activation.RELU).build(),
                        new IntegerParameterSpace(1, 2))
                .addLayer(new OutputLayerSpace.Builder().nOut(numClasses).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(numInputs)).build();
    }

    /**
     * A small CNN: one 5×5 convolution (4..24 filters, stride 1) + 2×2 max pooling, a dense layer (16..128 units),
     * softmax output; Adam learning rate and L2 searched.
     *
     * @param inputType  {@code InputType.convolutionalFlat(28, 28, 1)} for flattened MNIST, or
     *                   {@code InputType.convolutional(32, 32, 3)} for CIFAR-10
     * @param numClasses output classes
     * @param seed       network initialisation seed (fixed per space)
     */
    public static MultiLayerSpace smallCnn(InputType inputType, int numClasses, long seed) {
        return new MultiLayerSpace.Builder().seed(seed)
                .updater(new AdamSpace(new ContinuousParameterSpace(1e-4, 1e-2), new FixedValue<>(0.9),
                        new FixedValue<>(0.999), new FixedValue<>(1e-8)))
                .l2(new ContinuousParameterSpace(1e-6, 1e-3))
                .addLayer(new ConvolutionLayerSpace.Builder().kernelSize(5, 5).stride(1, 1)
                        .nOut(new IntegerParameterSpace(4, 24))
                        .activation(new DiscreteParameterSpace<>(Activation.RELU, Activation.TANH)).build())
                .addLayer(new SubsamplingLayerSpace.Builder().poolingType(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build())
                .addLayer(new DenseLayerSpace.Builder().nOut(new IntegerParameterSpace(16, 128))
                        .activation(Activation.RELU).build())
                .addLayer(new OutputLayerSpace.Builder().nOut(numClasses).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(inputType).build();
    }
}
