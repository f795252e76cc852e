package dev.dl4jfms.embed;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small real DL4J networks trained on small synthetic classification data, for embedding tests. */
final class TestNetworks {

    private TestNetworks() {
    }

    /** Three-class data: the label is the arg-max of a fixed random linear map of the features (seeded). */
    static DataSet linearlySeparable(int n, int features, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, features);
        INDArray map = Nd4j.randn(DataType.FLOAT, features, classes);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, classes);
        INDArray arg = x.mmul(map).argMax(1);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, arg.getInt(i), 1.0);
        }
        return new DataSet(x, labels);
    }

    static MultiLayerNetwork mlp(int nIn, int[] hidden, int nOut, long seed, DataType dataType) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(dataType).updater(new Adam(0.01)).list();
        int prev = nIn;
        for (int h : hidden) {
            b.layer(new DenseLayer.Builder().nIn(prev).nOut(h).activation(Activation.TANH).build());
            prev = h;
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(prev).nOut(nOut)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    static MultiLayerNetwork trainedMlp(int[] hidden, long seed, long dataSeed, int epochs) {
        MultiLayerNetwork net = mlp(6, hidden, 3, seed, DataType.FLOAT);
        DataSet data = linearlySeparable(128, 6, 3, dataSeed);
        for (int i = 0; i < epochs; i++) {
            net.fit(data);
        }
        return net;
    }

    /** conv(1→4, 3×3) → BN → ReLU → conv(4→5, 3×3) → max-pool 2×2 → dense(→6) → softmax(3), on 1×8×8 images. */
    static MultiLayerNetwork trainedCnn(long seed, int steps) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet data = images(64, seed + 1);
        for (int i = 0; i < steps; i++) {
            net.fit(data);
        }
        return net;
    }

    static DataSet images(int n, long seed) {
        DataSet flat = linearlySeparable(n, 64, 3, seed);
        return new DataSet(flat.getFeatures().reshape(n, 1, 8, 8), flat.getLabels());
    }
}
