package dev.dl4jfms.examples.hub;

import dev.dl4jfms.examples.bench.KendallTau;

import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.examples.hub.Hub;
import dev.dl4jfms.examples.hub.HubReplayExecutor;
import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.policy.CalibrationTracker;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.study.WeightsKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How well calibrated the deep-kernel forecaster is on a hub, at a state typical of the start of a study: per seed,
 * 20 random configurations observed for one epoch and 6 of them for 2–9 epochs (fms-stats inputs: configuration,
 * budget, curve prefix, statistics embedding of the checkpoint before each epoch). One cold fit with the bench's
 * schedule (300 Adam steps), then held-out scores against the hub's recorded values:
 * <ul>
 *   <li>next epoch of each observed configuration ("continuing"): mean log-likelihood, coverage of the 90 %
 *       interval, mean predictive standard deviation, Kendall τ between forecast and true value;</li>
 *   <li>first epoch of 40 untried configurations: the same;</li>
 *   <li>Kendall τ between the forecast at B_max of the observed configurations and their best value at any epoch,
 *       next to the τ of simply ranking them by their last observed value;</li>
 *   <li>the fitted noise share σ² / (σ² + s²).</li>
 * </ul>
 * Usage: {@code HubForecastCalibration --hub <store> [--seeds 5] [--gp-learning-rates 1e-3,3e-3,5e-3,1e-2]
 * [--cold-steps 300]}. Prints a Markdown table, one row per GP hyperparameter learning rate (means over seeds).
 */
public final class HubForecastCalibration {
    private static final int OBSERVED = 20;
    private static final int CONTINUED = 6;
    private static final int UNTRIED_SCORED = 40;

    private HubForecastCalibration() {
    }

    public static void main(String[] args) throws Exception {
        Path hubFile = null;
        int seeds = 5;
        double[] rates = {1e-3, 3e-3, 5e-3, 1e-2};
        int coldSteps = 300;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--hub" -> hubFile = Path.of(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--gp-learning-rates" -> rates = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble)
                        .toArray();
                case "--cold-steps" -> coldSteps = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --hub --seeds --gp-learning-rates --cold-steps)");
            }
        }
        if (hubFile == null) {
            throw new IllegalArgumentException("--hub <store> is required");
        }
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(hubFile)) {
            Hub hub = Hub.read(store);
            HubReplayExecutor executor = new HubReplayExecutor(hub, store);
            System.out.printf(Locale.ROOT, "# %s: %d configs, B_max %d; %d seeds, one cold fit of %d steps (network "
                    + "lr 1e-3)%n", hubFile.getFileName(), hub.entries().size(), hub.maxEpochs(), seeds, coldSteps);
            System.out.println("| GP lr | continuing: LL | cov90 | mean sd | τ next | first epoch: LL | cov90 | mean sd "
                    + "| τ final forecast (last value) | noise share |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (double lr : rates) {
                double[] sum = new double[10];
                for (int seed = 0; seed < seeds; seed++) {
                    double[] r = oneSeed(hub, executor, seed, lr, coldSteps);
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += r[k] / seeds;
                    }
                }
                System.out.printf(Locale.ROOT, "| %.0e | %.2f | %.2f | %.4f | %.3f | %.2f | %.2f | %.4f | %.3f (%.3f) "
                        + "| %.3f |%n", lr, sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8],
                        sum[9]);
            }
        }
    }

    private static double[] oneSeed(Hub hub, HubReplayExecutor executor, long seed, double gpLr, int coldSteps) {
        int bMax = hub.maxEpochs();
        List<Hub.Entry> entries = hub.entries();
        Random rnd = new Random(seed);
        List<Integer> order = shuffledOrder(entries.size(), rnd);
        int[] depth = new int[entries.size()];
        for (int k = 0; k < OBSERVED; k++) {
            depth[order.get(k)] = 1;
        }
        for (int k = 0; k < CONTINUED; k++) {
            depth[order.get(k)] = 2 + rnd.nextInt(8);
        }
        List<CurveObservation> observed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Hub.Entry e = entries.get(i);
            for (int j = 1; j <= depth[i]; j++) {
                observed.add(new CurveObservation(e.unitVector(), j, bMax, Arrays.copyOf(e.val(), j - 1),
                        keyBefore(e, i, j), e.val()[j - 1]));
            }
        }
        DeepKernelForecaster f = DeepKernelForecaster.builder().inputDimension(entries.get(0).unitVector().length)
                .seed(seed).schedule(1, coldSteps, 30).gpHyperparameterLearningRate(gpLr)
                .embedder(new LayerStatisticsEmbedder()).weightsLoader(executor.weightsLoader()).build();
        f.fit(observed);
        List<ForecastQuery> continuing = new ArrayList<>();
        List<ForecastQuery> fresh = new ArrayList<>();
        List<ForecastQuery> finals = new ArrayList<>();
        List<Double> nextTruth = new ArrayList<>();
        List<Double> freshTruth = new ArrayList<>();
        List<Double> bestTruth = new ArrayList<>();
        List<Double> lastValue = new ArrayList<>();
        for (int i : order) {
            Hub.Entry e = entries.get(i);
            int b = depth[i];
            if (b > 0) {
                continuing.add(new ForecastQuery(e.unitVector(), b + 1, bMax, Arrays.copyOf(e.val(), b),
                        keyBefore(e, i, b + 1)));
                nextTruth.add(e.val()[b]);
                finals.add(new ForecastQuery(e.unitVector(), bMax, bMax, Arrays.copyOf(e.val(), b),
                        keyBefore(e, i, b + 1)));
                bestTruth.add(Arrays.stream(e.val()).max().orElse(Double.NaN));
                lastValue.add(e.val()[b - 1]);
            } else if (fresh.size() < UNTRIED_SCORED) {
                fresh.add(new ForecastQuery(e.unitVector(), 1, bMax, new double[0], keyBefore(e, i, 1)));
                freshTruth.add(e.val()[0]);
            }
        }
        double[] c = scores(f.predict(continuing), nextTruth);
        double[] u = scores(f.predict(fresh), freshTruth);
        double[] finalMeans = f.predict(finals).stream().mapToDouble(Forecast::mean).toArray();
        double noise = f.gp().noiseVariance();
        return new double[] {c[0], c[1], c[2], c[3], u[0], u[1], u[2],
                KendallTau.tauB(finalMeans, toArray(bestTruth)), KendallTau.tauB(toArray(lastValue), toArray(bestTruth)),
                noise / (noise + f.gp().signalVariance())};
    }

    /** Checkpoint before epoch j of pool entry i: its initial (pretrained) weights for j = 1. */
    /** The pool indices 0..n-1 in an order drawn from {@code rnd} (which configurations a simulated study tried). */
    static List<Integer> shuffledOrder(int n, Random rnd) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, rnd);
        return order;
    }

    static String keyBefore(Hub.Entry e, int poolIndex, int j) {
        return j == 1 ? WeightsKeys.initial(poolIndex) : WeightsKeys.checkpoint(e.checkpointIds()[j - 1]);
    }

    /** [mean log-likelihood, 90 % coverage, mean std, Kendall τ of means vs truth]. */
    static double[] scores(List<Forecast> forecasts, List<Double> truth) {
        CalibrationTracker calibration = new CalibrationTracker();
        double sd = 0;
        double[] means = new double[truth.size()];
        for (int k = 0; k < truth.size(); k++) {
            Forecast fc = forecasts.get(k);
            calibration.add(fc, truth.get(k));
            sd += fc.std();
            means[k] = fc.mean();
        }
        return new double[] {calibration.meanLogLikelihood(), calibration.coverage90(), sd / truth.size(),
                KendallTau.tauB(means, toArray(truth))};
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
