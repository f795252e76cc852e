package dev.dl4jfms.examples.bench;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataLoader;
import dev.dl4jfms.examples.bench.surrogate.MlpEpochCostBenchmark;
import dev.dl4jfms.listeners.CaptureStats;
import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SqliteCheckpointStore;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the epoch-time overhead of {@link CheckpointCaptureListener}: the MLP 784-256-10 of
 * {@link MlpEpochCostBenchmark#benchmarkMlp()} trains on Fashion-MNIST images, and epochs with and without the listener alternate in the same JVM (ABBA order, after warm-up epochs).
 *
 * <p>Two "with" times are reported: the epoch as the training thread sees it (copy + queueing; the write runs in
 * the background), and a conservative one that also waits, after the epoch, until the background write has
 * finished ({@code flush()}), i.e. it charges the full write to the epoch even though it normally overlaps the next
 * epoch's training.
 *
 * <pre>
 * java ... dev.dl4jfms.examples.bench.CaptureOverheadBenchmark [--examples 10000] [--batch 128] [--warmup 2]
 *     [--reps 8] [--data DIR] [--store FILE]
 * </pre>
 * Results go to stdout (this is a command-line tool).
 */
public final class CaptureOverheadBenchmark {

    private CaptureOverheadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int examples = 10_000;
        int batch = 128;
        int warmup = 2;
        int reps = 8;
        Path dataDir = null;
        Path storeFile = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--examples" -> examples = positive(args[i], value);
                case "--batch" -> batch = positive(args[i], value);
                case "--warmup" -> warmup = positive(args[i], value);
                case "--reps" -> reps = positive(args[i], value);
                case "--data" -> dataDir = Path.of(required(args[i], value));
                case "--store" -> storeFile = Path.of(required(args[i], value));
                case "--help", "-h" -> {
                    System.out.println("usage: CaptureOverheadBenchmark [--examples N] [--batch N] [--warmup N] "
                            + "[--reps N] [--data DIR] [--store FILE]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
            i++;
        }

        IdxData data = IdxDataLoader.builder().folder(dataDir).subsetSize(examples).seed(42).build().load();
        DataSetIterator train = data.trainIterator(batch, true, 7);
        MultiLayerNetwork net = MlpEpochCostBenchmark.benchmarkMlp();
        Path tempDir = storeFile == null ? Files.createTempDirectory("capture-bench") : null;
        Path db = storeFile != null ? storeFile : tempDir.resolve("bench.db");

        List<Double> without = new ArrayList<>();
        List<Double> withTraining = new ArrayList<>();
        List<Double> withDrained = new ArrayList<>();
        CaptureStats stats;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            long study = store.createStudy("capture-overhead-" + System.currentTimeMillis(), null).id();
            long trial = store.createTrial(study, new NewTrial(net.getLayerWiseConfigurations().toJson(), null,
                    null, null, "mlp-784-256-10")).id();
            try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trial).build()) {
                for (int w = 0; w < warmup; w++) {
                    epoch(net, train, null, null);
                    epoch(net, train, capture, null);
                }
                for (int r = 0; r < reps; r++) {
                    boolean withFirst = r % 2 == 1; // ABBA: without,with / with,without / ...
                    for (int k = 0; k < 2; k++) {
                        if ((k == 0) == withFirst) {
                            double[] t = new double[2];
                            epoch(net, train, capture, t);
                            withTraining.add(t[0]);
                            withDrained.add(t[1]);
                        } else {
                            without.add(epoch(net, train, null, null));
                        }
                    }
                }
                stats = capture.stats();
            }
        } finally {
            if (tempDir != null) {
                deleteRecursively(tempDir);
            }
        }

        double base = mean(without);
        System.out.printf(Locale.ROOT, "MLP 784-256-10, %d Fashion-MNIST images, batch %d, %d warm-up pairs, "
                + "%d repetitions (ABBA)%n", data.train().numExamples(), batch, warmup, reps);
        System.out.printf(Locale.ROOT, "without listener         : mean %.3f s  median %.3f s  %s%n", base,
                median(without), fmt(without));
        System.out.printf(Locale.ROOT, "with listener (training) : mean %.3f s  median %.3f s  %s%n",
                mean(withTraining), median(withTraining), fmt(withTraining));
        System.out.printf(Locale.ROOT, "with listener (+drain)   : mean %.3f s  median %.3f s  %s%n",
                mean(withDrained), median(withDrained), fmt(withDrained));
        System.out.printf(Locale.ROOT, "ratio with/without (mean)   : training %.4f, +drain %.4f%n",
                mean(withTraining) / base, mean(withDrained) / base);
        System.out.printf(Locale.ROOT, "ratio with/without (median) : training %.4f, +drain %.4f%n",
                median(withTraining) / median(without), median(withDrained) / median(without));
        List<Double> pairRatios = new ArrayList<>();
        for (int r = 0; r < without.size(); r++) {
            pairRatios.add(withDrained.get(r) / without.get(r));
        }
        System.out.printf(Locale.ROOT, "median of per-repetition ratios (+drain / adjacent without): %.4f%n",
                median(pairRatios));
        System.out.printf(Locale.ROOT, "checkpoints written %d, failed %d, training blocked on full queue %.3f s%n",
                stats.written(), stats.failed(), stats.blockedSeconds());
        double perCapture = stats.captureSeconds() / stats.submitted();
        System.out.printf(Locale.ROOT, "training-thread time per capture (copy + queue): %.4f s = %.2f %% of the mean "
                + "epoch without listener%n", perCapture, 100 * perCapture / base);
    }

    /** One epoch; returns its seconds. With a listener, {@code times} gets {training seconds, + drain seconds}. */
    private static double epoch(MultiLayerNetwork net, DataSetIterator train, CheckpointCaptureListener capture,
                                double[] times) {
        if (capture == null) {
            net.setListeners();
        } else {
            net.setListeners(capture);
        }
        train.reset();
        long start = System.nanoTime();
        net.fit(train);
        long trained = System.nanoTime();
        if (capture != null) {
            capture.flush();
        }
        long drained = System.nanoTime();
        if (times != null) {
            times[0] = (trained - start) / 1e9;
            times[1] = (drained - start) / 1e9;
        }
        return (trained - start) / 1e9;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(List<Double> xs) {
        return Arrays.toString(xs.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toArray());
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(required(option, value));
            if (v <= 0) {
                throw new IllegalArgumentException(option + " must be positive, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + value + "'");
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
