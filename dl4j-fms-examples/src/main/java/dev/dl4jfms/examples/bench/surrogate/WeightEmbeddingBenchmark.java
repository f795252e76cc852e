package dev.dl4jfms.examples.bench.surrogate;

import dev.dl4jfms.embed.GraphMetanetworkEmbedder;
import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import dev.dl4jfms.graph.ParameterGraph;
import dev.dl4jfms.graph.ParameterGraphBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cost of the weight embedders per checkpoint against parameter count, for MLPs of about 1k, 5k, 20k, 100k and
 * 200k parameters: parameter-graph construction, GMN forward, GMN forward + backward (the per-step cost when the
 * GMN trains with the GP), the GMN with an edge cap, and the statistics embedder. Median of several repetitions
 * after warm-up. Prints a Markdown table to standard output.
 *
 * <p>Usage: {@code WeightEmbeddingBenchmark [repetitions=5] [edgeCap=20000] [firstRow=0] [lastRow=4]}. A full
 * garbage collection runs before every timed repetition so that off-heap buffers of earlier runs are released
 * (the exact GMN on a 200k-parameter MLP holds about 1.5 GB of intermediates for its backward pass).
 */
public final class WeightEmbeddingBenchmark {

    private static final int[][] MLPS = {
            {16, 48, 10},   // 1,306 parameters
            {64, 64, 10},   // 4,810
            {196, 96, 10},  // 19,882
            {784, 128, 10}, // 101,770
            {784, 256, 10}, // 203,530 (the benchmark MLP of environment.md)
    };

    private WeightEmbeddingBenchmark() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int edgeCap = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int firstRow = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int lastRow = args.length > 3 ? Integer.parseInt(args[3]) : MLPS.length - 1;
        GraphMetanetworkEmbedder gmn = GraphMetanetworkEmbedder.builder().seed(1).build();
        GraphMetanetworkEmbedder capped = GraphMetanetworkEmbedder.builder().seed(1).maxEdgesPerLayer(edgeCap).build();
        LayerStatisticsEmbedder stats = new LayerStatisticsEmbedder();
        System.out.printf(Locale.ROOT, "threads=%s, backend=%s, GMN parameters=%d, repetitions=%d, edge cap=%d%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "default"),
                Nd4j.getBackend().getClass().getSimpleName(), gmn.numParameters(), reps, edgeCap);
        System.out.println("| MLP | params | edges | graph build ms | GMN fwd ms | GMN fwd+bwd ms | GMN fwd+bwd ms (cap "
                + edgeCap + ") | stats ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int row = firstRow; row <= lastRow; row++) {
            int[] sizes = MLPS[row];
            MultiLayerNetwork net = mlp(sizes);
            NetworkWeights weights = NetworkWeightsFactory.fromModel(net);
            List<NetworkWeights> one = List.of(weights);
            INDArray upstream = Nd4j.ones(gmn.dataType(), 1, gmn.dimension());
            ParameterGraphBuilder builder = new ParameterGraphBuilder();
            double build = median(reps, () -> builder.build(weights));
            ParameterGraph graph = gmn.graphOf(weights);
            double fwd = median(reps, () -> gmn.embed(one));
            double fwdBwd = median(reps, () -> gmn.gradient(one, upstream));
            double cappedFwdBwd = median(reps, () -> capped.gradient(one, upstream));
            double st = median(reps, () -> stats.embed(one));
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
                    Arrays.toString(sizes).replace(", ", "-").replace("[", "").replace("]", ""), net.numParams(),
                    graph.numEdges(), build, fwd, fwdBwd, cappedFwdBwd, st);
        }
    }

    private static MultiLayerNetwork mlp(int[] sizes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new DenseLayer.Builder().nIn(sizes[0]).nOut(sizes[1]).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nIn(sizes[1]).nOut(sizes[2]).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Median wall time in milliseconds of {@code reps} runs after two warm-up runs. */
    private static double median(int reps, Runnable task) {
        task.run();
        task.run();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            System.gc();
            long t0 = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
