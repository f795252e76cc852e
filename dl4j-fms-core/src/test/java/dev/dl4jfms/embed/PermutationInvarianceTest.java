package dev.dl4jfms.embed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Function-preserving permutations of hidden units leave the network's outputs, the GMN embedding and the
 * statistics embedding unchanged; different networks get clearly different embeddings.
 */
class PermutationInvarianceTest {

    /** Float tolerance for "unchanged" (sums in a different order). */
    private static final double SAME = 1e-5;
    /** A "clearly different" embedding differs in some coordinate by at least this (100 × SAME). */
    private static final double DIFFERENT = 1e-3;

    private static MultiLayerNetwork mlp;
    private static MultiLayerNetwork cnn;
    private static GraphMetanetworkEmbedder gmn;
    private static LayerStatisticsEmbedder stats;

    @BeforeAll
    static void setUp() {
        mlp = TestNetworks.trainedMlp(new int[]{16, 12}, 1, 100, 30);
        cnn = TestNetworks.trainedCnn(2, 5);
        gmn = GraphMetanetworkEmbedder.builder().seed(3).build();
        stats = new LayerStatisticsEmbedder();
    }

    @Test
    void mlpHiddenUnitPermutationPreservesOutputsAndEmbeddings() {
        MultiLayerNetwork permuted = mlp.clone();
        int[] p0 = permutation(16, 1);
        int[] p1 = permutation(12, 2);
        permuted.setParam("0_W", mlp.getParam("0_W").getColumns(p0));
        permuted.setParam("0_b", permuteVector(mlp.getParam("0_b"), p0));
        permuted.setParam("1_W", mlp.getParam("1_W").getRows(p0).getColumns(p1));
        permuted.setParam("1_b", permuteVector(mlp.getParam("1_b"), p1));
        permuted.setParam("2_W", mlp.getParam("2_W").getRows(p1));
        assertTrue(!permuted.params().equals(mlp.params()), "permutation changed nothing");

        INDArray x = TestNetworks.linearlySeparable(32, 6, 3, 77).getFeatures();
        assertClose(mlp.output(x), permuted.output(x), SAME, "network outputs");
        assertEmbeddingsInvariant(mlp, permuted);
    }

    @Test
    void cnnChannelPermutationPreservesOutputsAndEmbeddings() {
        MultiLayerNetwork permuted = cnn.clone();
        int[] c0 = permutation(4, 3);   // output channels of conv 0 (+ batch norm, + input channels of conv 3)
        int[] c1 = permutation(5, 4);   // output channels of conv 3 (+ rows of the dense layer after flattening)
        permuted.setParam("0_W", permuteDim0(cnn.getParam("0_W"), c0));
        permuted.setParam("0_b", permuteVector(cnn.getParam("0_b"), c0));
        for (String k : cnn.paramTable().keySet()) {
            if (k.startsWith("1_")) { // batch norm: gamma, beta and running statistics
                permuted.setParam(k, permuteVector(cnn.getParam(k), c0));
            }
        }
        INDArray w3 = cnn.getParam("3_W").permute(1, 0, 2, 3).dup('c');
        INDArray w3p = permuteDim0(w3, c0).permute(1, 0, 2, 3).dup('c');
        permuted.setParam("3_W", permuteDim0(w3p, c1));
        permuted.setParam("3_b", permuteVector(cnn.getParam("3_b"), c1));
        int spatial = (int) cnn.getParam("5_W").size(0) / 5; // 2x2 after pooling, channel-major flattening
        int[] rows = new int[5 * spatial];
        for (int c = 0; c < 5; c++) {
            for (int s = 0; s < spatial; s++) {
                rows[c * spatial + s] = c1[c] * spatial + s;
            }
        }
        permuted.setParam("5_W", cnn.getParam("5_W").getRows(rows));

        INDArray x = TestNetworks.images(16, 99).getFeatures();
        assertClose(cnn.output(x), permuted.output(x), SAME, "network outputs");
        assertEmbeddingsInvariant(cnn, permuted);
    }

    @Test
    void differentNetworksGetDifferentEmbeddings() {
        NetworkWeights base = NetworkWeightsFactory.fromModel(mlp);
        NetworkWeights otherInit = NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{16, 12}, 2, 100, 30));
        NetworkWeights otherData = NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{16, 12}, 1, 200, 30));
        NetworkWeights otherArch = NetworkWeightsFactory.fromModel(TestNetworks.trainedMlp(new int[]{24}, 1, 100, 30));
        List<NetworkWeights> all = List.of(base, otherInit, otherData, otherArch, NetworkWeightsFactory.fromModel(cnn));
        for (WeightEmbedder embedder : List.of(gmn, stats)) {
            INDArray e = embedder.embed(all);
            for (int i = 1; i < all.size(); i++) {
                double diff = e.getRow(0).sub(e.getRow(i)).amaxNumber().doubleValue();
                assertTrue(diff > DIFFERENT, embedder.getClass().getSimpleName() + ": network " + i
                        + " differs from the base network by only " + diff);
            }
        }
    }

    private static void assertEmbeddingsInvariant(MultiLayerNetwork a, MultiLayerNetwork b) {
        List<NetworkWeights> pair = List.of(NetworkWeightsFactory.fromModel(a), NetworkWeightsFactory.fromModel(b));
        INDArray g = gmn.embed(pair);
        assertClose(g.getRow(0), g.getRow(1), SAME, "GMN embedding");
        INDArray s = stats.embed(pair);
        assertClose(s.getRow(0), s.getRow(1), SAME * 10, "statistics embedding"); // norms up to ~10, float sums
    }

    private static void assertClose(INDArray a, INDArray b, double tol, String what) {
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(diff <= tol, what + " changed by " + diff + " (tolerance " + tol + ")");
    }

    private static INDArray permuteVector(INDArray v, int[] perm) {
        return v.reshape(1, v.length()).getColumns(perm).reshape(v.shape());
    }

    private static INDArray permuteDim0(INDArray w, int[] perm) {
        long[] shape = w.shape();
        return w.reshape('c', shape[0], w.length() / shape[0]).getRows(perm).reshape('c', shape);
    }

    /** A random permutation that moves every element (derangement-ish: retried until no fixed point). */
    private static int[] permutation(int n, long seed) {
        Random rng = new Random(seed);
        while (true) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            boolean moved = true;
            for (int i = 0; i < n; i++) {
                moved &= p[i] != i;
            }
            if (moved) {
                return p;
            }
        }
    }
}
