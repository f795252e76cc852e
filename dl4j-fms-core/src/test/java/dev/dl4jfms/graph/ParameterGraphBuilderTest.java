package dev.dl4jfms.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.graph.ParameterGraph.EdgeType;
import dev.dl4jfms.graph.ParameterGraph.NodeType;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParameterGraphBuilderTest {

    private static MultiLayerNetwork mlp(int... sizes) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1).list();
        for (int i = 0; i + 2 < sizes.length; i++) {
            b.layer(new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1]).build());
        }
        b.layer(new OutputLayer.Builder().nIn(sizes[sizes.length - 2]).nOut(sizes[sizes.length - 1]).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    private static int count(INDArray types, Enum<?> type) {
        int n = 0;
        for (int t : types.toIntVector()) {
            n += t == type.ordinal() ? 1 : 0;
        }
        return n;
    }

    @Test
    void mlpGraphHasOneEdgePerParameterAndTheWeightsAsValues() {
        MultiLayerNetwork net = mlp(6, 5, 4, 3);
        ParameterGraph g = new ParameterGraphBuilder().build(NetworkWeightsFactory.fromModel(net));
        assertEquals(6 + (5 + 1) + (4 + 1) + (3 + 1), g.numNodes());
        assertEquals(net.numParams(), g.numEdges());
        assertEquals(6, count(g.nodeTypes(), NodeType.INPUT));
        assertEquals(3, count(g.nodeTypes(), NodeType.BIAS));
        assertEquals(5 + 4 + 3, count(g.edgeTypes(), EdgeType.BIAS));
        // the edge values are exactly the parameters (same multiset): compare sums of values and of squares
        double sum = g.edgeValues().getColumn(0).sumNumber().doubleValue();
        double sq = g.edgeValues().getColumn(0).norm2Number().doubleValue();
        assertEquals(net.params().sumNumber().doubleValue(), sum, 1e-4);
        assertEquals(net.params().norm2Number().doubleValue(), sq, 1e-4);
        // positions: inputs and outputs get i/n, hidden units -1
        assertEquals(1.0 / 6, g.nodeScalars().getDouble(1, 1), 1e-7);
        assertEquals(-1.0, g.nodeScalars().getDouble(6, 1), 0.0);
        // dense edge from input 2 to hidden neuron 3 carries W[2,3]
        int[] src = g.edgeSources().toIntVector();
        int[] dst = g.edgeTargets().toIntVector();
        for (int e = 0; e < g.numEdges(); e++) {
            if (src[e] == 2 && dst[e] == 6 + 3) {
                assertEquals(net.getParam("0_W").getDouble(2, 3), g.edgeValues().getDouble(e, 0), 0.0);
            }
        }
    }

    @Test
    void cnnGraphHasChannelEdgesWithKernelVectors() {
        MultiLayerNetwork net = NetworkWeightsFactoryTest.cnn(); // conv(2->4, 3x3) BN ... dense(4*3*3 -> 5) out(3)
        ParameterGraph g = new ParameterGraphBuilder().build(NetworkWeightsFactory.fromModel(net));
        int nodes = 2 + 4 + 1 + 2 + 5 + 1 + 3 + 1;
        assertEquals(nodes, g.numNodes());
        assertEquals(4 * 2, count(g.edgeTypes(), EdgeType.CONV));
        assertEquals(4, count(g.edgeTypes(), EdgeType.GAMMA));
        assertEquals(4, count(g.edgeTypes(), EdgeType.BETA));
        assertEquals(4 * 9 * 5 + 5 * 3, count(g.edgeTypes(), EdgeType.DENSE));
        // conv edges carry the 9 kernel values: their sum equals the sum of the conv weights
        double convSum = 0;
        int[] types = g.edgeTypes().toIntVector();
        for (int e = 0; e < g.numEdges(); e++) {
            if (types[e] == EdgeType.CONV.ordinal()) {
                convSum += g.edgeValues().getRow(e).sumNumber().doubleValue();
            }
        }
        assertEquals(net.getParam("0_W").sumNumber().doubleValue(), convSum, 1e-5);
        // a 3x3 kernel split into chunks of width 4 -> 3 parallel edges per channel pair
        ParameterGraph narrow = new ParameterGraphBuilder().valueWidth(4).build(NetworkWeightsFactory.fromModel(net));
        assertEquals(4 * 2 * 3, count(narrow.edgeTypes(), EdgeType.CONV));
    }

    @Test
    void edgeCapSubsamplesWideLayersAndUnionOffsetsNodes() {
        NetworkWeights w = NetworkWeightsFactory.fromModel(mlp(50, 20, 3));
        ParameterGraph capped = new ParameterGraphBuilder().maxEdgesPerLayer(100).build(w);
        assertEquals(100 + 20 + 60 + 3, capped.numEdges()); // 1000 -> 100 dense edges; biases and 60 kept
        ParameterGraph exact = new ParameterGraphBuilder().build(w);
        ParameterGraph union = ParameterGraph.union(List.of(exact, capped));
        assertEquals(2, union.numGraphs());
        assertEquals(exact.numNodes() + capped.numNodes(), union.numNodes());
        assertEquals(exact.numNodes(), union.edgeSources().getInt(exact.numEdges()) - capped.edgeSources().getInt(0));
        assertEquals(1, union.edgeGraphs().getInt(union.numEdges() - 1));
        assertThrows(IllegalArgumentException.class, () -> new ParameterGraphBuilder().valueWidth(0));
        assertThrows(IllegalArgumentException.class, () -> ParameterGraph.union(
                List.of(exact, new ParameterGraphBuilder().valueWidth(3).build(w))));
        assertTrue(capped.toString().contains("edges=183"));
    }
}
