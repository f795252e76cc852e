package dev.dl4jfms.transfer;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.gp.MultiTaskFit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta-trains a deep-kernel forecaster on earlier studies (docs/transfer.md): hyperparameters encoded by name
 * ({@link HyperparameterEncoding}), the metric in its own units under one scaling pooled over all sources (which the
 * prior keeps for the target study, so that a study's first-epoch values are read in the units the prior learned),
 * the feature extractor and the GP hyperparameters trained on minibatches of one source at a time
 * ({@link MultiTaskFit}).
 */
public final class MetaTrainer {

    private static final Logger log = LoggerFactory.getLogger(MetaTrainer.class);

    /** Default Adam steps and rows per step of a meta-training run. */
    public static final int DEFAULT_STEPS = 3000;
    public static final int DEFAULT_ROWS_PER_STEP = 256;

    private final int steps;
    private final int rowsPerStep;
    private final long seed;

    public MetaTrainer(int steps, int rowsPerStep, long seed) {
        if (steps < 1 || rowsPerStep < 2) {
            throw new IllegalArgumentException("steps >= 1 and rowsPerStep >= 2 required, got " + steps + ", "
                    + rowsPerStep);
        }
        this.steps = steps;
        this.rowsPerStep = rowsPerStep;
        this.seed = seed;
    }

    /** Ridge penalty of the prior mean. */
    public static final double PRIOR_MEAN_PENALTY = 1.0;

    /**
     * The result: the encoding, the prior mean, the deep kernel trained on the residuals from it (no posterior yet)
     * and what the run did.
     */
    public record Result(HyperparameterEncoding encoding, PriorMean mean, DeepKernelForecaster forecaster,
                         MultiTaskFit.Report report) {
    }

    /**
     * Meta-trains on {@code sources}.
     *
     * @param forecaster a builder with everything but the input dimension (embedder, weights loader resolving the
     *                   sources' weights keys, schedule); the input dimension is the encoding's
     * @throws IllegalArgumentException when the sources hold no usable observations
     */
    public Result train(List<SourceTask> sources, DeepKernelForecasterBuilder forecaster) {
        Objects.requireNonNull(forecaster, "forecaster");
        List<Map<String, String>> configs = new ArrayList<>();
        for (SourceTask s : sources) {
            s.trials().forEach(t -> configs.add(t.hyperparameters()));
        }
        HyperparameterEncoding encoding = HyperparameterEncoding.fit(configs);
        List<List<CurveObservation>> raw = new ArrayList<>();
        for (SourceTask s : sources) {
            List<CurveObservation> rows = observations(s, encoding);
            if (rows.size() < 2) {
                log.warn("source {} has {} usable observation(s); skipped", s.name(), rows.size());
                continue;
            }
            raw.add(rows);
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("none of the " + sources.size() + " source(s) has two observations");
        }
        PriorMean priorMean = PriorMean.fit(raw.stream().flatMap(List::stream).toList(), PRIOR_MEAN_PENALTY);
        // The deep kernel learns what the mean leaves: residuals, under one scaling pooled over all sources. Each
        // source's residuals are taken from a mean fitted on the *other* sources (cross-fitting): a new study's
        // residuals contain what its task does differently from the earlier ones, and a kernel that learned only
        // in-sample residuals would be as sure of an untried configuration of a new task as of a seen one.
        List<List<CurveObservation>> tasks = new ArrayList<>();
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (int s = 0; s < raw.size(); s++) {
            PriorMean others = priorMean;
            if (raw.size() > 1) {
                List<CurveObservation> rest = new ArrayList<>();
                for (int o = 0; o < raw.size(); o++) {
                    if (o != s) {
                        rest.addAll(raw.get(o));
                    }
                }
                others = PriorMean.fit(rest, PRIOR_MEAN_PENALTY);
            }
            List<CurveObservation> residuals = new ArrayList<>(raw.get(s).size());
            for (CurveObservation o : raw.get(s)) {
                double r = o.value() - others.at(o);
                residuals.add(new CurveObservation(o.config(), o.epoch(), o.maxEpochs(), o.curvePrefix(),
                        o.weightsKey(), r));
                sum += r;
                sumSq += r * r;
                count++;
            }
            tasks.add(residuals);
        }
        if (raw.size() == 1) {
            log.warn("meta-training on one source: its residuals are in-sample, the prior will be over-confident on "
                    + "a new task");
        }
        DeepKernelForecaster f = forecaster.inputDimension(encoding.dimension()).build();
        double mean = sum / count;
        double std = Math.sqrt(Math.max(sumSq / count - mean * mean, 0));
        MultiTaskFit.Report report = MultiTaskFit.fit(f, tasks, steps, rowsPerStep, seed, mean,
                std > 1e-12 ? std : 1.0);
        log.info("meta-trained on {} tasks, {} rows: NLL/n {} -> {} in {} s", report.tasks(), report.rows(),
                report.meanNllFirst(), report.meanNllLast(), report.seconds());
        return new Result(encoding, priorMean, f, report);
    }

    /**
     * The source's observations in the metric's own units: for each trial and finite epoch j, the value at j seen
     * from three points of its curve — after j-1 epochs (the one-step rows a study itself has), halfway, and before
     * any epoch (prefix empty, starting weights). Why: a study asks for the value at B_max of configurations it has
     * trained for few or no epochs, and a forecaster that saw only one-step rows has never learned that a long way
     * ahead differs from the next epoch (its features for "epoch B_max, nothing trained" then sit next to those of
     * "epoch 1", and it forecasts first-epoch values with a first-epoch certainty). Earlier studies have whole
     * curves, so they can teach it.
     */
    static List<CurveObservation> observations(SourceTask s, HyperparameterEncoding encoding) {
        List<CurveObservation> rows = new ArrayList<>();
        for (SourceTask.Trial t : s.trials()) {
            double[] config = encoding.encode(t.hyperparameters());
            double[] curve = t.curve();
            for (int j = 1; j <= curve.length && Double.isFinite(curve[j - 1]); j++) {
                for (int k : new java.util.TreeSet<>(List.of(0, (j - 1) / 2, j - 1))) {
                    // the weights a query with k trained epochs carries: those before epoch k + 1
                    String key = t.weightsKeys() == null ? null : t.weightsKeys()[k];
                    rows.add(new CurveObservation(config, j, s.maxEpochs(), Arrays.copyOf(curve, k), key,
                            curve[j - 1]));
                }
            }
        }
        return rows;
    }
}
