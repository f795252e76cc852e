package dev.dl4jfms.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import dev.dl4jfms.graph.ParameterGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GMN's hand-written backward pass against central finite differences in double precision, and its forward
 * pass against an independent SameDiff implementation.
 *
 * <p>Coordinates: one random entry of each of the 52 parameter arrays plus 12 random entries.
 * Tolerance: |analytic − finite difference| ≤ 1e-7 + 1e-5·|finite difference| with step h = 1e-6 (truncation
 * error O(h²) ≈ 1e-12, rounding error ≈ 1e-16·|loss|/h ≈ 1e-10; ReLU kinks inside ±h are improbable).
 */
class GmnGradientTest {

    private static List<NetworkWeights> networks;

    @BeforeAll
    static void networks() {
        networks = List.of(
                NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{5, 4}, 3, 3, 5)),
                NetworkWeightsFactory.fromModel(TestNetworks.trainedCnn(4, 3)));
    }

    private static GraphMetanetworkEmbedder doubleEmbedder() {
        return GraphMetanetworkEmbedder.builder().dataType(DataType.DOUBLE).seed(11).build();
    }

    @Test
    void forwardMatchesIndependentSameDiffImplementation() {
        GraphMetanetworkEmbedder gmn = doubleEmbedder();
        INDArray ours = gmn.embed(networks);
        List<ParameterGraph> graphs = new ArrayList<>();
        for (NetworkWeights n : networks) {
            graphs.add(gmn.graphOf(n));
        }
        INDArray reference = SameDiffGmnReference.embed(gmn, ParameterGraph.union(graphs));
        assertArrayEquals(new long[]{2, 32}, ours.shape());
        double maxDiff = ours.sub(reference).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-10, "max |ND4J - SameDiff| = " + maxDiff);
        // not saturated: the output must depend on the input
        double spread = ours.getRow(0).sub(ours.getRow(1)).amaxNumber().doubleValue();
        assertTrue(spread > 1e-3, "embeddings of an MLP and a CNN differ by only " + spread);
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        GraphMetanetworkEmbedder gmn = doubleEmbedder();
        Nd4j.getRandom().setSeed(5);
        INDArray upstream = Nd4j.randn(DataType.DOUBLE, 2, 32);
        INDArray analytic = gmn.gradient(networks, upstream);
        INDArray theta = gmn.parameters();
        assertEquals(gmn.numParameters(), analytic.length());

        // one random coordinate of every named parameter array (52 arrays) + 12 anywhere
        List<Long> coords = new ArrayList<>();
        Random rng = new Random(7);
        long offset = 0;
        GmnParameters store = gmn.parameterStore();
        for (String name : store.names()) {
            long len = store.values().get(name).length();
            coords.add(offset + rng.nextInt((int) len));
            offset += len;
        }
        for (int i = 0; i < 12; i++) {
            coords.add((long) rng.nextInt((int) gmn.numParameters()));
        }
        double h = 1e-6;
        int checked = 0;
        double worst = 0;
        for (long i : coords) {
            double orig = theta.getDouble(0, i);
            INDArray plus = theta.dup();
            plus.putScalar(0, i, orig + h);
            gmn.setParameters(plus);
            double lp = gmn.embed(networks).mul(upstream).sumNumber().doubleValue();
            INDArray minus = theta.dup();
            minus.putScalar(0, i, orig - h);
            gmn.setParameters(minus);
            double lm = gmn.embed(networks).mul(upstream).sumNumber().doubleValue();
            double fd = (lp - lm) / (2 * h);
            double ad = analytic.getDouble(0, i);
            double err = Math.abs(ad - fd);
            worst = Math.max(worst, err / (1e-7 + 1e-5 * Math.abs(fd)));
            assertTrue(err <= 1e-7 + 1e-5 * Math.abs(fd),
                    "parameter " + i + ": analytic " + ad + " vs finite difference " + fd);
            checked++;
        }
        gmn.setParameters(theta);
        assertTrue(checked >= 64, "checked " + checked);
        assertTrue(analytic.norm2Number().doubleValue() > 0, "gradient is all zeros");
        System.err.println("GMN gradient check: " + checked + " coordinates, worst error/tolerance " + worst);
    }

    @Test
    void batchedGradientIsSumOfSingleGradients() {
        GraphMetanetworkEmbedder gmn = doubleEmbedder();
        Nd4j.getRandom().setSeed(9);
        INDArray upstream = Nd4j.randn(DataType.DOUBLE, 2, 32);
        INDArray batched = gmn.gradient(networks, upstream);
        INDArray sum = gmn.gradient(List.of(networks.get(0)), upstream.getRow(0, true))
                .add(gmn.gradient(List.of(networks.get(1)), upstream.getRow(1, true)));
        assertTrue(batched.sub(sum).amaxNumber().doubleValue() < 1e-10);
    }
}
