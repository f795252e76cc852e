package dev.dl4jfms.gp.bench;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.gp.ForecasterState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Forecast quality and cost of the surrogate's speed levers on a freeze-thaw-like sequence of warm refits.
 *
 * <p>{@link SaturatingCurves} (as in {@code DeepKernelForecasterTest}):
 * {@code y_t = a(x)(1 - exp(-b(x) t)) + noise}, x ∈ [0,1]², 10 epochs. 12 configurations are observed to the end,
 * 48 only for their first epochs. After one cold fit (shared by all variants, loaded from a saved state),
 * {@code increments} rounds each extend 24 random partial configurations by one epoch and warm-refit; after every
 * round the fit is scored on the partial configurations:
 * Kendall τ between predicted and true final values (queried from the current prefix), and the coverage of the
 * true next-epoch values by the 90% predictive intervals. Reported: means over the rounds, total warm-refit CPU
 * time, mean Adam steps per refit. "refit every k" refits only every k-th round and scores with the last fit.
 *
 * <p>Usage: {@code ForecastQualityBenchmark [--dtype DOUBLE|FLOAT] [--increments 6] [--seeds 1]}. Prints Markdown.
 */
public final class ForecastQualityBenchmark {
    private static final int MAX_EPOCHS = 10;
    private static final int FULL = 12;
    private static final int PARTIAL = 48;
    private static final int PER_ROUND = 24;
    private static final double NOISE = 0.005;
    private static final Map<Integer, byte[]> COLD_STATES = new java.util.HashMap<>();

    private ForecastQualityBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        DataType dt = DataType.DOUBLE;
        int increments = 6;
        int seeds = 1;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--dtype" -> dt = DataType.valueOf(v);
                case "--increments" -> increments = Integer.parseInt(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --dtype --increments --seeds)");
            }
        }
        Map<String, UnaryOperator<DeepKernelForecasterBuilder>> variants = new LinkedHashMap<>();
        variants.put("spec: full batch, 50 warm steps", b -> b);
        variants.put("warm subset m=128", b -> b.warmSubsetSize(128));
        variants.put("warm subset m=256", b -> b.warmSubsetSize(256));
        variants.put("early stop (patience 5, 1e-3)", b -> b.warmEarlyStopping(5, 1e-3));
        variants.put("10 warm steps", b -> b.schedule(1, 150, 10));
        variants.put("m=128 + early stop", b -> b.warmSubsetSize(128).warmEarlyStopping(5, 1e-3));
        variants.put("refit every 2 rounds", b -> b);
        variants.put("refit every 4 rounds", b -> b);
        System.out.printf("# forecast quality of speed levers: dtype %s, %d rounds, %d seed(s), OMP_NUM_THREADS=%s%n",
                dt, increments, seeds, System.getenv("OMP_NUM_THREADS"));
        System.out.println("| variant | rows (first → last) | Kendall τ (final values) | 90% coverage (next epoch) "
                + "| warm refits | mean steps per refit | warm-refit CPU total (s) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, UnaryOperator<DeepKernelForecasterBuilder>> v : variants.entrySet()) {
            int every = v.getKey().startsWith("refit every ") ? Integer.parseInt(v.getKey().split(" ")[2]) : 1;
            double tau = 0;
            double cov = 0;
            double cpu = 0;
            double steps = 0;
            int refits = 0;
            int first = 0;
            int last = 0;
            for (int seed = 0; seed < seeds; seed++) {
                Scenario sc = new Scenario(seed);
                DeepKernelForecasterBuilder base = DeepKernelForecaster.builder().inputDimension(2).dataType(dt)
                        .seed(3).learningRate(1e-2).schedule(1, 150, 50).warmSubsetSize(0); // spec: full batch
                byte[] cold = sc.coldState(base);
                DeepKernelForecaster f = ForecasterState.load(new ByteArrayInputStream(cold),
                        v.getValue().apply(base), "cold state");
                f.warmStartNextFit();
                first = sc.rows().size();
                for (int r = 1; r <= increments; r++) {
                    sc.extend();
                    if (r % every == 0) {
                        long c0 = cpuNanos();
                        f.fit(sc.rows());
                        cpu += (cpuNanos() - c0) / 1e9;
                        steps += f.lastFitSteps();
                        refits++;
                    }
                    tau += sc.tau(f) / (increments * seeds);
                    cov += sc.coverage(f) / (increments * seeds);
                }
                last = sc.rows().size();
            }
            System.out.printf("| %s | %d → %d | %.3f | %.3f | %d | %.1f | %.2f |%n", v.getKey(), first, last, tau,
                    cov, refits, refits == 0 ? 0 : steps / refits, cpu);
        }
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** Configurations, their true curves and how many epochs of each are observed so far. */
    private static final class Scenario {
        final SaturatingCurves curves;
        final int[] seen = new int[FULL + PARTIAL];
        final int seed;
        final Random rnd;

        Scenario(int seed) {
            this.seed = seed;
            rnd = new Random(42 + seed);
            curves = SaturatingCurves.draw(FULL + PARTIAL, MAX_EPOCHS, NOISE, rnd);
            for (int i = 0; i < seen.length; i++) {
                seen[i] = i < FULL ? MAX_EPOCHS : 1 + i % 2;
            }
        }

        /** The cold fit on the initial rows, as a saved state (computed once per seed, shared by all variants). */
        byte[] coldState(DeepKernelForecasterBuilder builder) throws IOException {
            byte[] cold = COLD_STATES.get(seed);
            if (cold == null) {
                DeepKernelForecaster f = builder.build();
                f.fit(rows());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ForecasterState.save(f, out);
                cold = out.toByteArray();
                COLD_STATES.put(seed, cold);
            }
            return cold;
        }

        /** One more epoch for PER_ROUND random partial configurations that have not reached epoch MAX - 1. */
        void extend() {
            List<Integer> open = new ArrayList<>();
            for (int i = FULL; i < seen.length; i++) {
                if (seen[i] < MAX_EPOCHS - 1) {
                    open.add(i);
                }
            }
            java.util.Collections.shuffle(open, rnd);
            for (int k = 0; k < Math.min(PER_ROUND, open.size()); k++) {
                seen[open.get(k)]++;
            }
        }

        List<CurveObservation> rows() {
            List<CurveObservation> out = new ArrayList<>();
            for (int i = 0; i < seen.length; i++) {
                out.addAll(curves.rows(i, seen[i], null));
            }
            return out;
        }

        double tau(DeepKernelForecaster f) {
            List<ForecastQuery> q = new ArrayList<>();
            double[] truth = new double[PARTIAL];
            for (int i = FULL; i < seen.length; i++) {
                q.add(curves.query(i, MAX_EPOCHS, seen[i]));
                truth[i - FULL] = curves.value(i, MAX_EPOCHS);
            }
            double[] pred = f.predict(q).stream().mapToDouble(Forecast::mean).toArray();
            return SaturatingCurves.kendallTau(pred, truth);
        }

        double coverage(DeepKernelForecaster f) {
            List<ForecastQuery> q = new ArrayList<>();
            List<Double> truth = new ArrayList<>();
            for (int i = FULL; i < seen.length; i++) {
                q.add(curves.query(i, seen[i] + 1, seen[i]));
                truth.add(curves.value(i, seen[i] + 1));
            }
            return SaturatingCurves.coverage90(f.predict(q), truth);
        }
    }
}
