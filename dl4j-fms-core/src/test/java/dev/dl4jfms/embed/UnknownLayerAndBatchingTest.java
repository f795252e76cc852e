package dev.dl4jfms.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.graph.LayerKind;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import dev.dl4jfms.graph.ParameterGraph;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Layers the graph builder does not know fall back to statistics and are logged; batching equals one at a time. */
class UnknownLayerAndBatchingTest {

    private static MultiLayerNetwork embeddingMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new EmbeddingLayer.Builder().nIn(10).nOut(6).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork lstmInsideMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6).list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nOut(5).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(4, 7))
                .build());
        net.init();
        return net;
    }

    @Test
    void unknownLayersDoNotCrashAndAreLogged() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        NetworkWeights lstm;
        NetworkWeights embedding;
        ParameterGraph lstmGraph;
        GraphMetanetworkEmbedder gmn = GraphMetanetworkEmbedder.builder().build();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            lstm = NetworkWeightsFactory.fromModel(lstmInsideMlp());
            embedding = NetworkWeightsFactory.fromModel(embeddingMlp());
            lstmGraph = gmn.graphOf(lstm);
            gmn.graphOf(embedding);
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(LayerKind.UNKNOWN, lstm.layers().get(1).kind());
        assertEquals(LayerKind.UNKNOWN, embedding.layers().get(0).kind());
        assertTrue(log.contains("LSTM") && log.contains("EmbeddingLayer") && log.contains("WARN"),
                "expected warnings naming LSTM and EmbeddingLayer, got: " + log);
        assertEquals(1, lstmGraph.unknownLayers().size());
        assertTrue(lstmGraph.unknownLayers().get(0).contains("LSTM"));

        List<NetworkWeights> both = List.of(lstm, embedding);
        INDArray g = gmn.embed(both);
        INDArray s = new LayerStatisticsEmbedder().embed(both);
        assertArrayEquals(new long[]{2, gmn.dimension()}, g.shape());
        assertArrayEquals(new long[]{2, new LayerStatisticsEmbedder().dimension()}, s.shape());
        assertTrue(finite(g) && finite(s), "NaN/Inf in embeddings");
        INDArray grad = gmn.gradient(both, Nd4j.ones(DataType.FLOAT, 2, gmn.dimension()));
        assertTrue(finite(grad) && grad.norm2Number().doubleValue() > 0);

        // the unknown layer's statistics reach the embedding: changing only LSTM weights changes it
        MultiLayerNetwork changed = lstmInsideMlp();
        changed.getParam("1_W").muli(3.0);
        INDArray g2 = gmn.embed(List.of(NetworkWeightsFactory.fromModel(changed)));
        assertTrue(g.getRow(0).sub(g2.getRow(0)).amaxNumber().doubleValue() > 1e-4,
                "LSTM weights do not influence the GMN embedding");
    }

    private static boolean finite(INDArray a) {
        double sum = a.castTo(DataType.DOUBLE).sumNumber().doubleValue();
        return !Double.isNaN(sum) && !Double.isInfinite(sum);
    }

    @Test
    void batchedEmbeddingsEqualOneAtATime() {
        List<NetworkWeights> nets = List.of(
                NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{7, 5}, 1, 1, 3)),
                NetworkWeightsFactory.fromModel(TestNetworks.trainedCnn(3, 1)),
                NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{9}, 2, 2, 3)),
                NetworkWeightsFactory.fromModel(lstmInsideMlp()));
        for (WeightEmbedder embedder : List.of(GraphMetanetworkEmbedder.builder().build(),
                new LayerStatisticsEmbedder())) {
            INDArray batched = embedder.embed(nets);
            for (int i = 0; i < nets.size(); i++) {
                INDArray single = embedder.embed(List.of(nets.get(i)));
                double diff = batched.getRow(i).sub(single.getRow(0)).amaxNumber().doubleValue();
                assertTrue(diff < 1e-6, embedder.getClass().getSimpleName() + " row " + i + " differs by " + diff);
            }
        }
    }

    @Test
    void embeddingCacheComputesOncePerCheckpointAndInvalidatesOnParameterChange() {
        GraphMetanetworkEmbedder gmn = GraphMetanetworkEmbedder.builder().build();
        EmbeddingCache<Long> cache = new EmbeddingCache<>(gmn);
        NetworkWeights a = NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{7}, 1, 1, 2));
        NetworkWeights b = NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{7}, 2, 1, 2));
        INDArray first = cache.embed(List.of(1L, 2L), List.of(a, b));
        INDArray again = cache.embed(List.of(2L, 1L, 1L), List.of(b, a, a));
        assertEquals(2, cache.computedCount());
        assertEquals(0.0, again.getRow(0).sub(first.getRow(1)).amaxNumber().doubleValue());
        assertEquals(0.0, again.getRow(1).sub(first.getRow(0)).amaxNumber().doubleValue());

        INDArray theta = gmn.parameters();
        theta.putScalar(0, 0, theta.getDouble(0, 0) + 1e-7); // smaller than INDArray.equals' tolerance
        gmn.setParameters(theta);
        cache.embed(List.of(1L), List.of(a));
        assertEquals(3, cache.computedCount(), "parameter change must invalidate the cache");
        assertEquals(1, cache.size());
        INDArray fresh = gmn.embed(List.of(a));
        assertEquals(0.0, cache.embed(List.of(1L), List.of(a)).sub(fresh).amaxNumber().doubleValue(), 1e-7);
    }
}
