package dev.dl4jfms.store;

import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small real networks and synthetic classification data for store tests. */
final class TinyNetworks {

    static final int INPUTS = 6;
    static final int CLASSES = 3;

    private TinyNetworks() {
    }

    static MultiLayerNetwork mlp(int hidden, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(int hidden, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(0.01))
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(INPUTS).nOut(hidden).activation(Activation.RELU)
                        .build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden)
                        .nOut(CLASSES).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Random inputs labelled by fixed rules of the first three inputs (learnable, not trivial). */
    static DataSet dataSet(int examples, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[examples][INPUTS];
        float[][] y = new float[examples][CLASSES];
        for (int i = 0; i < examples; i++) {
            for (int j = 0; j < INPUTS; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            int label = x[i][0] + x[i][1] > 0.5 ? 0 : (x[i][2] > 0 ? 1 : 2);
            y[i][label] = 1f;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    /** Mini-batches of {@link #dataSet}, in a fixed order. */
    static DataSetIterator data(int examples, int batch, long seed) {
        return new ListDataSetIterator<>(dataSet(examples, seed).asList(), batch);
    }
}
