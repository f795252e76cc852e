package dev.dl4jfms.examples.hub;

import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.examples.hub.Hub;
import dev.dl4jfms.examples.hub.HubReplayExecutor;
import dev.dl4jfms.examples.hub.HubTransferSources;
import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.transfer.EncodedForecaster;
import dev.dl4jfms.transfer.TransferPrior;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a prior does to forecasts at the start of a study on a hub it was not trained on (docs/transfer.md): per
 * seed, {@code --observed} random configurations observed for one epoch and a quarter of them for 2–6 epochs, then
 * held-out scores (mean Gaussian log-likelihood, nats) of four forecasters on three kinds of query:
 * the next epoch of observed configurations (what the calibration guard scores most), the first epoch of untried
 * configurations, and the last epoch (B_max) of untried configurations (what the acquisition ranks).
 * Forecasters: the population-trend reference of the calibration guard, the cold fms-stats forecaster (bench
 * schedule 3,300,30), and the prior's forecaster conditioned on the observations (frozen) and fine-tuned (30 warm
 * steps).
 *
 * <p>Usage: {@code TransferCalibration --hub <store> --prior <file> [--seeds 5] [--observed 20]}; prints one Markdown
 * table (means over seeds).
 */
public final class TransferCalibration {

    private TransferCalibration() {
    }

    public static void main(String[] args) throws Exception {
        Path hubFile = null;
        Path priorFile = null;
        int seeds = 5;
        int observedConfigs = 20;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--hub" -> hubFile = Path.of(v);
                case "--prior" -> priorFile = Path.of(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--observed" -> observedConfigs = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --hub --prior --seeds --observed)");
            }
        }
        if (hubFile == null || priorFile == null) {
            throw new IllegalArgumentException("--hub <store> and --prior <file> are required");
        }
        TransferPrior prior = TransferPrior.load(priorFile);
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(hubFile)) {
            Hub hub = Hub.read(store);
            HubReplayExecutor executor = new HubReplayExecutor(hub, store);
            Map<String, double[]> sum = new LinkedHashMap<>();
            for (int seed = 0; seed < seeds; seed++) {
                for (Map.Entry<String, double[]> e : oneSeed(hub, executor, prior, seed, observedConfigs).entrySet()) {
                    double[] acc = sum.computeIfAbsent(e.getKey(), k -> new double[3]);
                    for (int k = 0; k < 3; k++) {
                        acc[k] += e.getValue()[k] / seeds;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "# %s with prior %s: %d seeds, %d configurations observed (a quarter "
                    + "of them 2-6 epochs)%n%n", hubFile.getFileName(), priorFile.getFileName(), seeds,
                    observedConfigs);
            System.out.println("| forecaster | next epoch, observed: LL | first epoch, untried: LL | "
                    + "epoch B_max, untried: LL |");
            System.out.println("|---|---|---|---|");
            for (Map.Entry<String, double[]> e : sum.entrySet()) {
                System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1], e.getValue()[2]);
            }
        }
    }

    private static Map<String, double[]> oneSeed(Hub hub, HubReplayExecutor executor, TransferPrior prior, long seed,
                                                 int observedConfigs) throws java.io.IOException {
        int bMax = hub.maxEpochs();
        List<Hub.Entry> entries = hub.entries();
        Random rnd = new Random(seed);
        List<Integer> order = HubForecastCalibration.shuffledOrder(entries.size(), rnd);
        int[] depth = new int[entries.size()];
        for (int k = 0; k < observedConfigs; k++) {
            depth[order.get(k)] = k < observedConfigs / 4 ? 2 + rnd.nextInt(5) : 1;
        }
        List<CurveObservation> observed = new ArrayList<>();
        List<ForecastQuery> next = new ArrayList<>();
        List<ForecastQuery> first = new ArrayList<>();
        List<ForecastQuery> last = new ArrayList<>();
        List<Double> nextTruth = new ArrayList<>();
        List<Double> firstTruth = new ArrayList<>();
        List<Double> lastTruth = new ArrayList<>();
        for (int i : order) {
            Hub.Entry e = entries.get(i);
            int b = depth[i];
            for (int j = 1; j <= b; j++) {
                observed.add(new CurveObservation(e.unitVector(), j, bMax, Arrays.copyOf(e.val(), j - 1),
                        HubForecastCalibration.keyBefore(e, i, j), e.val()[j - 1]));
            }
            if (b > 0 && b < bMax) {
                next.add(new ForecastQuery(e.unitVector(), b + 1, bMax, Arrays.copyOf(e.val(), b),
                        HubForecastCalibration.keyBefore(e, i, b + 1)));
                nextTruth.add(e.val()[b]);
            } else if (b == 0) {
                first.add(new ForecastQuery(e.unitVector(), 1, bMax, new double[0], HubForecastCalibration.keyBefore(e, i, 1)));
                firstTruth.add(e.val()[0]);
                last.add(new ForecastQuery(e.unitVector(), bMax, bMax, new double[0], HubForecastCalibration.keyBefore(e, i, 1)));
                lastTruth.add(e.val()[bMax - 1]);
            }
        }
        List<double[]> unit = new ArrayList<>();
        List<double[]> named = new ArrayList<>();
        for (Hub.Entry e : entries) {
            unit.add(e.unitVector());
            named.add(prior.encoding().encode(HubTransferSources.hyperparameters(e)));
        }
        Map<String, Forecaster> forecasters = new LinkedHashMap<>();
        forecasters.put("population trend (reference)", new PopulationTrendForecaster());
        forecasters.put("fms-stats, cold", builder(entries, executor, seed).inputDimension(unit.get(0).length)
                .build());
        forecasters.put("fms-stats, prior conditioned", new EncodedForecaster(prior.forecaster(
                builder(entries, executor, seed).schedule(3, 300, 0)), unit, named));
        forecasters.put("fms-stats, prior fine-tuned (30 steps)", new EncodedForecaster(prior.forecaster(
                builder(entries, executor, seed).schedule(3, 300, 30)), unit, named));
        forecasters.put("fms-stats, prior mean + cold residual GP", new EncodedForecaster(
                new dev.dl4jfms.transfer.PriorMeanForecaster(builder(entries, executor, seed)
                        .inputDimension(prior.encoding().dimension()).build(), prior.mean()), unit, named));
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Forecaster> f : forecasters.entrySet()) {
            f.getValue().fit(observed);
            out.put(f.getKey(), new double[] {meanLogLikelihood(f.getValue(), next, nextTruth),
                    meanLogLikelihood(f.getValue(), first, firstTruth),
                    meanLogLikelihood(f.getValue(), last, lastTruth)});
        }
        return out;
    }

    private static dev.dl4jfms.gp.DeepKernelForecasterBuilder builder(List<Hub.Entry> entries, HubReplayExecutor executor,
                                                        long seed) {
        return DeepKernelForecaster.builder().seed(seed).schedule(3, 300, 30)
                .embedder(new LayerStatisticsEmbedder()).weightsLoader(executor.weightsLoader());
    }

    private static double meanLogLikelihood(Forecaster f, List<ForecastQuery> queries, List<Double> truth) {
        return queries.isEmpty() ? Double.NaN : HubForecastCalibration.scores(f.predict(queries), truth)[0];
    }
}
