package dev.dl4jfms.examples.bench.surrogate;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.gp.ExactGp;
import dev.dl4jfms.gp.FeatureExtractor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cost of one surrogate suggestion: a warm refit (50 Adam steps) plus scoring 1,000 candidates, at several numbers
 * of observations n, and the split of one training step into feature-extractor forward, exact GP (NLL +
 * gradients) and the feature extractor's backward pass. No weight branch (the embedding cost is benchmarked separately).
 *
 * <p>Each n is run twice in the same process: "spec" (full-batch warm refit of {@code --steps} Adam steps) and
 * "fast" (warm steps on a random subset of {@code --subset} rows, early stopping with {@code --patience}); the
 * last columns give the spec/fast ratio and the cost per suggestion when the policy refits only every
 * {@code --refit-every} observations and conditions the posterior on the observations in between (per k
 * suggestions: one refit and a scoring from scratch, then k − 1 one-row conditionings, each followed by a scoring in
 * which one candidate is new and the others' kept projections are extended). CPU = process CPU time (all threads), robust
 * on a shared machine.
 *
 * <p>The measured refits start where they start in a study: from a cold fit ({@code --cold-steps} full-batch steps,
 * default 1000 as the forecaster's default schedule; the hub benchmark uses 300) on all but the last
 * {@code repeats × refit-every} rows, and each repeat adds {@code --refit-every} new rows before its warm refit. (Until 2026-11-29 the warm refits started from a
 * 5-step cold fit on all n rows, far from any optimum, which made early stopping look useless at faster GP
 * learning rates; {@code --cold-steps 5} comes close to that set-up.)
 *
 * <p>Usage: {@code SurrogateCostBenchmark [--sizes 100,250,500,1000] [--dtype DOUBLE|FLOAT] [--steps 50]
 * [--candidates 1000] [--repeats 3] [--subset 128] [--patience 5] [--min-improvement 1e-3] [--refit-every 4]
 * [--cold-steps 1000] [--split true] [--gp-learning-rate 5e-3]} (the last: the forecaster's default). Prints a
 * Markdown table (median over repeats).
 */
public final class SurrogateCostBenchmark {
    private static final int DIM = 6;
    private static final int MAX_EPOCHS = 20;

    private SurrogateCostBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = {100, 250, 500, 1000};
        DataType dt = DataType.DOUBLE;
        int steps = 50;
        int candidates = 1000;
        int repeats = 3;
        int subset = 128;
        int patience = 5;
        double minImprovement = 1e-3;
        int refitEvery = 4;
        int coldSteps = 1000; // the forecaster's default cold fit (the spec's)
        boolean split = false;
        double gpLearningRate = DeepKernelForecaster.DEFAULT_GP_LEARNING_RATE;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--dtype" -> dt = DataType.valueOf(value);
                case "--steps" -> steps = Integer.parseInt(value);
                case "--candidates" -> candidates = Integer.parseInt(value);
                case "--repeats" -> repeats = Integer.parseInt(value);
                case "--subset" -> subset = Integer.parseInt(value);
                case "--patience" -> patience = Integer.parseInt(value);
                case "--refit-every" -> refitEvery = Integer.parseInt(value);
                case "--min-improvement" -> minImprovement = Double.parseDouble(value);
                case "--cold-steps" -> coldSteps = Integer.parseInt(value);
                case "--split" -> split = Boolean.parseBoolean(value);
                case "--gp-learning-rate" -> gpLearningRate = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --sizes --dtype --steps --candidates --repeats --subset --patience"
                        + " --min-improvement --refit-every --cold-steps --split --gp-learning-rate)");
            }
        }
        if (refitEvery < 1 || repeats < 1 || coldSteps < 1) {
            throw new IllegalArgumentException("--refit-every, --repeats and --cold-steps must be >= 1");
        }
        System.out.printf("# surrogate cost: dtype %s, GP hyperparameter lr %.0e, %d warm steps after a %d-step cold "
                        + "fit, %d new rows per refit, %d candidates, OMP_NUM_THREADS=%s, %d cores,"
                        + " load average %.1f; fast = warmSubsetSize(%d) + warmEarlyStopping(%d, %.0e)%n",
                dt, gpLearningRate, steps, coldSteps, refitEvery, candidates, System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), subset,
                patience, minImprovement);
        System.out.printf("| n | variant | warm refit CPU (s) | steps taken | score %d CPU (s) | suggestion CPU (s) "
                + "| suggestion wall (s) | condition CPU, one new row (s) | with refitEvery(%d): CPU per suggestion (s) "
                + "| spec / fast (CPU) |%n", candidates, refitEvery);
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        List<String> stepLog = new ArrayList<>();
        for (int n : sizes) {
            Random rnd = new Random(n);
            List<CurveObservation> obs = observations(n, rnd);
            List<ForecastQuery> queries = candidates(candidates, rnd);
            double specSuggestion = 0;
            for (boolean fast : new boolean[] {false, true}) {
                DeepKernelForecasterBuilder builder = DeepKernelForecaster.builder().inputDimension(DIM).dataType(dt)
                        .seed(1).schedule(1, coldSteps, steps).warmSubsetSize(0) // spec: full batch
                        .gpHyperparameterLearningRate(gpLearningRate);
                if (fast) {
                    builder.warmSubsetSize(subset).warmEarlyStopping(patience, minImprovement);
                }
                DeepKernelForecaster f = builder.build();
                // the state a study warm-starts from: a cold fit before the last rows arrived
                List<CurveObservation> before = obs.subList(0, Math.max(2, n - repeats * refitEvery));
                f.fit(before);
                // unmeasured passes through the warm path, so that JIT compilation (whose threads the process
                // CPU clock counts) does not land in the first measured repeats
                for (int w = 0; w < 2; w++) {
                    f.fit(before);
                    f.condition(obs.subList(0, Math.min(n, before.size() + 1))); // the incremental path
                    f.predict(queries);
                }
                double[] refitCpu = new double[repeats];
                double[] scoreCpu = new double[repeats];
                double[] wall = new double[repeats];
                double[] taken = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    List<CurveObservation> seen = obs.subList(0, Math.max(2, n - (repeats - 1 - r) * refitEvery));
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    f.fit(seen);
                    long c1 = processCpuNanos();
                    f.predict(queries);
                    long c2 = processCpuNanos();
                    wall[r] = (System.nanoTime() - t0) / 1e9;
                    refitCpu[r] = (c1 - c0) / 1e9;
                    scoreCpu[r] = (c2 - c1) / 1e9;
                    taken[r] = f.lastFitSteps();
                }
                // The suggestions between refits: from a posterior on n − k rows (rebuilt at the start of each
                // repeat: rows went missing, a full conditioning, timed separately) and the candidates scored on
                // it, k − 1 conditionings that add one row each, and after each the scoring of the candidates with
                // one of them replaced — as in the freeze-thaw loop, where the configuration just trained moves on
                // to its next epoch and the others' queries stay the same.
                double[] conditionCpu = new double[repeats];
                double[] rescoreCpu = new double[repeats];
                double[] rebuildCpu = new double[repeats];
                List<CurveObservation> base = obs.subList(0, Math.max(2, n - refitEvery));
                List<ForecastQuery> moving = new ArrayList<>(queries);
                for (int r = 0; r < repeats; r++) {
                    long c0 = processCpuNanos();
                    f.condition(base);
                    long c1 = processCpuNanos();
                    f.predict(moving);
                    long condition = 0;
                    long rescore = 0;
                    for (int j = 1; base.size() + j <= n && j < refitEvery; j++) {
                        moving.set(rnd.nextInt(moving.size()), candidates(1, rnd).get(0));
                        long t0 = processCpuNanos();
                        f.condition(obs.subList(0, base.size() + j));
                        long t1 = processCpuNanos();
                        f.predict(moving);
                        rescore += processCpuNanos() - t1;
                        condition += t1 - t0;
                    }
                    rebuildCpu[r] = (c1 - c0) / 1e9;
                    conditionCpu[r] = refitEvery > 1 ? condition / 1e9 / (refitEvery - 1) : 0;
                    rescoreCpu[r] = refitEvery > 1 ? rescore / 1e9 / (refitEvery - 1) : 0;
                }
                double suggestion = median(refitCpu) + median(scoreCpu);
                if (fast) {
                    // means over all repeats see through the 10 ms ticks of the process CPU clock
                    double mean = perSuggestion(mean(refitCpu), mean(scoreCpu), mean(conditionCpu), mean(rescoreCpu),
                            refitEvery);
                    stepLog.add(String.format("n=%d fast, per repeat: warm steps %s, refit CPU (s) %s; means: refit "
                                    + "%.3f, score after it %.4f, condition (one new row) %.4f, score after it "
                                    + "(one new candidate) %.4f, per suggestion with refitEvery(%d) %.3f; a full "
                                    + "re-conditioning at n = %d costs %.3f", n,
                            Arrays.toString(Arrays.stream(taken).mapToInt(v -> (int) v).toArray()),
                            Arrays.toString(refitCpu), mean(refitCpu), mean(scoreCpu), mean(conditionCpu),
                            mean(rescoreCpu), refitEvery, mean, base.size(), mean(rebuildCpu)));
                }
                if (!fast) {
                    specSuggestion = suggestion;
                }
                System.out.printf("| %d | %s | %.3f | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f | %s |%n", n,
                        fast ? "fast" : "spec", median(refitCpu), median(taken), median(scoreCpu), suggestion,
                        median(wall), median(conditionCpu), perSuggestion(median(refitCpu), median(scoreCpu),
                                median(conditionCpu), median(rescoreCpu), refitEvery),
                        fast ? String.format("%.1f×", specSuggestion / suggestion) : "");
            }
        }
        for (String line : stepLog) {
            System.out.println(line);
        }
        if (split) {
            for (int n : sizes) {
                double[] parts = stepSplit(observations(n, new Random(n)), dt, repeats);
                System.out.printf("step split n=%d: forward %.1f ms, GP %.1f ms, backward %.1f ms (CPU)%n", n,
                        parts[0], parts[1], parts[2]);
            }
        }
    }

    /** CPU time of the whole process (all threads, native ones included), to see through a busy machine. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** Median CPU milliseconds of the three parts of one training step at the forecaster's input sizes. */
    private static double[] stepSplit(List<CurveObservation> obs, DataType dt, int repeats) {
        int n = obs.size();
        int longest = 0;
        for (CurveObservation o : obs) {
            longest = Math.max(longest, o.curvePrefix().length);
        }
        FeatureExtractor fe = new FeatureExtractor(DIM, true, 0, dt, 2);
        ExactGp gp = new ExactGp(dt);
        FeatureExtractor.Inputs in = new FeatureExtractor.Inputs(Nd4j.rand(dt, n, DIM + 1),
                Nd4j.rand(dt, n, 1, longest + 3), null);
        INDArray y = Nd4j.randn(dt, n, 1);
        double[][] t = new double[3][repeats + 1];
        for (int r = 0; r <= repeats; r++) { // first round is warm-up
            long t0 = processCpuNanos();
            INDArray z = fe.forwardTrain(in).z();
            long t1 = processCpuNanos();
            ExactGp.Evaluation ev = gp.nllAndGradients(z, y);
            long t2 = processCpuNanos();
            fe.backward(in, ev);
            long t3 = processCpuNanos();
            t[0][r] = (t1 - t0) / 1e6;
            t[1][r] = (t2 - t1) / 1e6;
            t[2][r] = (t3 - t2) / 1e6;
        }
        return new double[] {median(Arrays.copyOfRange(t[0], 1, repeats + 1)),
                median(Arrays.copyOfRange(t[1], 1, repeats + 1)), median(Arrays.copyOfRange(t[2], 1, repeats + 1))};
    }

    /** n rows from configurations observed for random numbers of epochs (curves a(x)(1 - exp(-b(x) t))). */
    static List<CurveObservation> observations(int n, Random rnd) {
        List<CurveObservation> out = new ArrayList<>();
        while (out.size() < n) {
            double[] x = config(rnd);
            double[] curve = curve(x, rnd);
            int epochs = 1 + rnd.nextInt(MAX_EPOCHS);
            for (int t = 1; t <= epochs && out.size() < n; t++) {
                out.add(new CurveObservation(x, t, MAX_EPOCHS, Arrays.copyOf(curve, t - 1), null, curve[t - 1]));
            }
        }
        return out;
    }

    static List<ForecastQuery> candidates(int m, Random rnd) {
        List<ForecastQuery> out = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double[] x = config(rnd);
            int seen = rnd.nextInt(MAX_EPOCHS);
            out.add(new ForecastQuery(x, seen + 1, MAX_EPOCHS, Arrays.copyOf(curve(x, rnd), seen), null));
        }
        return out;
    }

    private static double[] config(Random rnd) {
        double[] x = new double[DIM];
        for (int j = 0; j < DIM; j++) {
            x[j] = rnd.nextDouble();
        }
        return x;
    }

    private static double[] curve(double[] x, Random rnd) {
        double a = 0.5 + 0.4 * x[0];
        double b = 0.05 + 0.5 * x[1];
        double[] c = new double[MAX_EPOCHS];
        for (int t = 0; t < MAX_EPOCHS; t++) {
            c[t] = a * (1 - Math.exp(-b * (t + 1))) + 0.01 * rnd.nextGaussian();
        }
        return c;
    }

    /**
     * CPU per suggestion when one refit and k − 1 conditionings serve k suggestions, each followed by the scoring of
     * the candidates (from scratch after the refit, only the new candidate after a conditioning).
     */
    private static double perSuggestion(double refit, double score, double condition, double rescore,
                                        int refitEvery) {
        return (refit + score + (refitEvery - 1) * (condition + rescore)) / refitEvery;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
