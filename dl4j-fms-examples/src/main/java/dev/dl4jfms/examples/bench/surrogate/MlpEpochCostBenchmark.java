package dev.dl4jfms.examples.bench.surrogate;

import dev.dl4jfms.examples.data.IdxFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The yardstick of the surrogate-cost target: process CPU time and wall time of one training epoch of the
 * benchmark MLP 784-256-10 (ReLU, softmax, Adam 1e-3, float, batch 128) on the first 10,000 Fashion-MNIST training
 * images, in the same JVM settings as {@link SurrogateCostBenchmark} (run both with OMP_NUM_THREADS=1 to compare).
 * Reads the IDX gz files with the examples' own reader (read only, never DL4J's MNIST fetcher, which deletes them).
 *
 * <p>Usage: {@code MlpEpochCostBenchmark [--data /usr/share/datasets/fashion-mnist] [--epochs 3]}.
 */
public final class MlpEpochCostBenchmark {
    private MlpEpochCostBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        int epochs = 3;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--data" -> data = Path.of(v);
                case "--epochs" -> epochs = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --data --epochs)");
            }
        }
        int n = 10_000;
        INDArray x = images(data.resolve("train-images-idx3-ubyte.gz"), n);
        INDArray y = labels(data.resolve("train-labels-idx1-ubyte.gz"), n);
        MultiLayerNetwork net = benchmarkMlp();
        ListDataSetIterator<DataSet> it = new ListDataSetIterator<>(new DataSet(x, y).asList(), 128);
        double[] cpu = new double[epochs];
        double[] wall = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            it.reset();
            long c0 = SurrogateCostBenchmarkSupport.processCpuNanos();
            long t0 = System.nanoTime();
            net.fit(it);
            cpu[e] = (SurrogateCostBenchmarkSupport.processCpuNanos() - c0) / 1e9;
            wall[e] = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf("# MLP 784-256-10 epoch on %d Fashion-MNIST images, batch 128, OMP_NUM_THREADS=%s, load %.1f%n",
                n, System.getenv("OMP_NUM_THREADS"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("epoch CPU (s): " + Arrays.toString(cpu));
        System.out.println("epoch wall (s): " + Arrays.toString(wall));
        double[] sorted = cpu.clone();
        Arrays.sort(sorted);
        System.out.printf("median epoch CPU %.3f s; 5%% of it: %.3f s%n", sorted[epochs / 2], 0.05 * sorted[epochs / 2]);
    }

    /**
     * The benchmark MLP 784-256-10 (ReLU, softmax, Adam 1e-3, float, seed 1), initialised: the network whose epoch
     * this benchmark times, and on which other benchmarks (e.g. the capture overhead) measure their costs.
     */
    public static MultiLayerNetwork benchmarkMlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The first {@code n} images of an IDX file (one reader for the project: {@link IdxFiles}), scaled to [0, 1]. */
    private static INDArray images(Path file, int n) {
        IdxFiles.Images images = IdxFiles.readImages(file);
        int size = images.pixelsPerImage();
        float[] v = new float[n * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = (images.pixels()[i] & 0xff) / 255f;
        }
        return Nd4j.createFromArray(v).reshape(n, size);
    }

    /** The first {@code n} labels of an IDX file, one-hot over 10 classes. */
    private static INDArray labels(Path file, int n) {
        IdxFiles.Labels labels = IdxFiles.readLabels(file);
        float[][] oneHot = new float[n][10];
        for (int i = 0; i < n; i++) {
            oneHot[i][labels.label(i)] = 1f;
        }
        return Nd4j.createFromArray(oneHot);
    }
}
