package dev.dl4jfms.examples.bench;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataLoader;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.segment.SegmentOutcome;
import dev.dl4jfms.listeners.segment.SegmentRequest;
import dev.dl4jfms.listeners.segment.SegmentStatus;
import dev.dl4jfms.listeners.segment.SegmentTrainer;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Measures what training in one-epoch segments costs compared with one uninterrupted loop: an MLP 784-256-10 on
 * Fashion-MNIST; step A is one epoch of a plain {@code fit} loop plus validation accuracy, step B is one
 * {@link SegmentTrainer} segment of another trial (restore network + updater from the previous checkpoint, one
 * epoch, validation, durable checkpoint). Steps alternate (A B B A ...) after warm-up. Also prints JavaCPP's
 * off-heap counters after every segment, to show that many short segments do not accumulate native memory.
 *
 * <pre>
 * java ... dev.dl4jfms.examples.bench.SegmentOverheadBenchmark [--examples 5000] [--batch 128] [--warmup 2]
 *     [--reps 10] [--data DIR]
 * </pre>
 * Results go to stdout (this is a command-line tool).
 */
public final class SegmentOverheadBenchmark {

    private SegmentOverheadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int examples = 5000;
        int batch = 128;
        int warmup = 2;
        int reps = 10;
        Path dataDir = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--examples" -> examples = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--reps" -> reps = Integer.parseInt(value);
                case "--data" -> dataDir = Path.of(value);
                case "--help", "-h" -> {
                    System.out.println("usage: SegmentOverheadBenchmark [--examples N] [--batch N] [--warmup N] "
                            + "[--reps N] [--data DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        IdxData data = IdxDataLoader.builder().folder(dataDir).subsetSize(examples).validationFraction(0.2)
                .seed(42).build().load();
        DataSetIterator train = data.trainIterator(batch, true, 7);
        DataSetIterator validation = data.validationIterator(500);
        Path dir = Files.createTempDirectory("segment-bench");
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("bench.db"))) {
            long study = store.createStudy("segment-bench", null).id();
            long trial = store.createTrial(study, new NewTrial("{}", null, null, null, "segments")).id();
            SegmentTrainer trainer = SegmentTrainer.builder().store(store).metric(ValidationMetric.ACCURACY).build();
            MultiLayerNetwork plain = new MultiLayerNetwork(mlp());
            plain.init();
            Long[] lastCheckpoint = {null};

            Runnable stepA = () -> {
                plain.fit(train);
                plain.evaluate(validation).accuracy();
            };
            Runnable stepB = () -> {
                SegmentRequest.Builder r = SegmentRequest.builder(trial).epochs(1);
                SegmentRequest request = lastCheckpoint[0] == null ? r.fresh(mlp()).build()
                        : r.resumeFromCheckpoint(lastCheckpoint[0]).build();
                SegmentOutcome out = trainer.train(request, train, validation);
                if (out.status() != SegmentStatus.COMPLETED) {
                    throw new IllegalStateException("segment ended " + out.status() + ": " + out.message());
                }
                lastCheckpoint[0] = out.checkpointIds().get(0);
            };
            for (int i = 0; i < warmup; i++) {
                stepA.run();
                stepB.run();
            }
            double[] a = new double[reps];
            double[] b = new double[reps];
            System.out.printf(Locale.ROOT, "%-4s %-9s %-9s %-14s %-14s%n", "rep", "plain_s", "segment_s",
                    "javacpp_bytes", "physical_bytes");
            for (int rep = 0; rep < reps; rep++) {
                boolean aFirst = rep % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == aFirst) {
                        a[rep] = time(stepA);
                    } else {
                        b[rep] = time(stepB);
                    }
                }
                System.out.printf(Locale.ROOT, "%-4d %-9.3f %-9.3f %-14d %-14d%n", rep, a[rep], b[rep],
                        Pointer.totalBytes(), Pointer.physicalBytes());
            }
            System.out.printf(Locale.ROOT, "median plain epoch %.3f s, median segment %.3f s, overhead %.3f s "
                    + "(%.0f%%); %d examples, batch %d, %d reps%n", median(a), median(b), median(b) - median(a),
                    100 * (median(b) - median(a)) / median(a), data.train().numExamples(), batch, reps);
        }
    }

    private static double time(Runnable step) {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }
}
