package dev.dl4jfms.it;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataLoader;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small Fashion-MNIST networks and data shared by the integration tests and the child JVM. */
final class SmallNetworks {

    private SmallNetworks() {
    }

    /** A seeded Fashion-MNIST subset (default data folder resolution) with a 20 % validation split. */
    static IdxData fashionSubset(int examples, long seed) {
        return IdxDataLoader.builder().subsetSize(examples).seed(seed).validationFraction(0.2).build().load();
    }

    static MultiLayerNetwork mlp(int hidden, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(1e-3)).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(int hidden, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(1e-3)).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("pixels")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(hidden).activation(Activation.TANH)
                        .build(), "pixels")
                .addLayer("classes", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("classes")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
