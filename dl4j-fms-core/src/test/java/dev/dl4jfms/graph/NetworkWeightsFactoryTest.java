package dev.dl4jfms.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.store.ArchitectureSignature;
import dev.dl4jfms.store.ModelSnapshot;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

class NetworkWeightsFactoryTest {

    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).stride(2, 2).build())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(new DenseLayer.Builder().nOut(5).build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void classifiesLayersAndCopiesParameters() {
        MultiLayerNetwork net = cnn();
        NetworkWeights w = NetworkWeightsFactory.fromModel(net);
        assertEquals(List.of(LayerKind.CONV2D, LayerKind.BATCH_NORM, LayerKind.PARAMETER_FREE,
                LayerKind.PARAMETER_FREE, LayerKind.PARAMETER_FREE, LayerKind.DENSE, LayerKind.DENSE),
                w.layers().stream().map(LayerWeights::kind).toList());
        assertEquals(ArchitectureSignature.of(net), w.architectureSignature());
        for (int i = 0; i < w.layers().size(); i++) {
            assertEquals(i, w.layers().get(i).index());
        }
        INDArray before = w.layers().get(0).params().get("W").dup();
        net.params().addi(1.0); // must not leak into the detached copy
        assertEquals(0.0, w.layers().get(0).params().get("W").sub(before).amaxNumber().doubleValue());
    }

    @Test
    void conv1dGlobalPoolingAndRnnOutput() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new Convolution1DLayer.Builder().kernelSize(3).nOut(4).build())
                .layer(new GlobalPoolingLayer.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 10)).build());
        net.init();
        assertEquals(List.of(LayerKind.CONV1D, LayerKind.PARAMETER_FREE, LayerKind.DENSE),
                NetworkWeightsFactory.fromModel(net).layers().stream().map(LayerWeights::kind).toList());
        MultiLayerNetwork rnnOut = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new RnnOutputLayer.Builder().nIn(3).nOut(2).activation(Activation.SOFTMAX).build()).build());
        rnnOut.init();
        assertEquals(LayerKind.DENSE, NetworkWeightsFactory.fromModel(rnnOut).layers().get(0).kind());
    }

    @Test
    void snapshotRebuildsTheSameWeights() {
        MultiLayerNetwork net = cnn();
        NetworkWeights direct = NetworkWeightsFactory.fromModel(net);
        ModelSnapshot snap = new ModelSnapshot(ModelSnapshot.ModelType.MULTI_LAYER_NETWORK,
                net.getLayerWiseConfigurations().toJson(), net.params().dup(), null, 0, 0);
        NetworkWeights rebuilt = NetworkWeightsFactory.fromSnapshot(snap);
        assertEquals(direct.architectureSignature(), rebuilt.architectureSignature());
        for (int i = 0; i < direct.layers().size(); i++) {
            for (var e : direct.layers().get(i).params().entrySet()) {
                INDArray other = rebuilt.layers().get(i).params().get(e.getKey());
                assertEquals(0.0, e.getValue().sub(other).amaxNumber().doubleValue(), "layer " + i + " " + e.getKey());
            }
        }
        ModelSnapshot wrong = new ModelSnapshot(ModelSnapshot.ModelType.MULTI_LAYER_NETWORK,
                net.getLayerWiseConfigurations().toJson(),
                org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 10), null, 0, 0);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> NetworkWeightsFactory.fromSnapshot(wrong));
        assertTrue(ex.getMessage().contains("10 parameters"), ex.getMessage());
    }

    @Test
    void computationGraphInTopologicalOrderAndFromSnapshot() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(6).nOut(2).activation(Activation.SOFTMAX).build(),
                        "hidden")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(6).build(), "in")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        NetworkWeights w = NetworkWeightsFactory.fromModel(graph);
        assertEquals(List.of("hidden", "out"), w.layers().stream().map(LayerWeights::name).toList());
        assertEquals(List.of(0, 1), w.layers().stream().map(LayerWeights::index).toList());
        NetworkWeights rebuilt = NetworkWeightsFactory.fromSnapshot(new ModelSnapshot(
                ModelSnapshot.ModelType.COMPUTATION_GRAPH, conf.toJson(), graph.params().dup(), null, 0, 0));
        assertEquals(0.0, w.layers().get(1).params().get("W").sub(rebuilt.layers().get(1).params().get("W"))
                .amaxNumber().doubleValue());
    }
}
