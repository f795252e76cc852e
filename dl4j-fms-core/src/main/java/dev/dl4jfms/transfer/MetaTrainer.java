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
 * ({@link HyperparameterEncoding}), each source's curve standardised with its own mean and standard deviation (so an
 * easy and a hard task share one scale; the target study later uses its own scaling), the feature extractor and the
 * GP hyperparameters trained on minibatches of one source at a time ({@link MultiTaskFit}).
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

    /** The result: the encoding, the trained forecaster (no posterior yet) and what the run did. */
    public record Result(HyperparameterEncoding encoding, DeepKernelForecaster forecaster, MultiTaskFit.Report report) {
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
        List<List<CurveObservation>> tasks = new ArrayList<>();
        for (SourceTask s : sources) {
            List<CurveObservation> rows = observations(s, encoding);
            if (rows.size() < 2) {
                log.warn("source {} has {} usable observation(s); skipped", s.name(), rows.size());
                continue;
            }
            tasks.add(rows);
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("none of the " + sources.size() + " source(s) has two observations");
        }
        DeepKernelForecaster f = forecaster.inputDimension(encoding.dimension()).build();
        MultiTaskFit.Report report = MultiTaskFit.fit(f, tasks, steps, rowsPerStep, seed);
        log.info("meta-trained on {} tasks, {} rows: NLL/n {} -> {} in {} s", report.tasks(), report.rows(),
                report.meanNllFirst(), report.meanNllLast(), report.seconds());
        return new Result(encoding, f, report);
    }

    /** The source's observations with standardised targets and curve prefixes. */
    static List<CurveObservation> observations(SourceTask s, HyperparameterEncoding encoding) {
        double sum = 0;
        int n = 0;
        for (SourceTask.Trial t : s.trials()) {
            for (double v : t.curve()) {
                if (!Double.isFinite(v)) {
                    break;
                }
                sum += v;
                n++;
            }
        }
        if (n < 2) {
            return List.of();
        }
        double mean = sum / n;
        double ss = 0;
        for (SourceTask.Trial t : s.trials()) {
            for (double v : t.curve()) {
                if (!Double.isFinite(v)) {
                    break;
                }
                ss += (v - mean) * (v - mean);
            }
        }
        double std = Math.sqrt(ss / n);
        double scale = std > 1e-12 ? std : 1.0;
        List<CurveObservation> rows = new ArrayList<>();
        for (SourceTask.Trial t : s.trials()) {
            double[] config = encoding.encode(t.hyperparameters());
            double[] curve = t.curve();
            double[] standard = new double[curve.length];
            for (int j = 0; j < curve.length; j++) {
                standard[j] = (curve[j] - mean) / scale;
            }
            for (int j = 1; j <= curve.length && Double.isFinite(curve[j - 1]); j++) {
                String key = t.weightsKeys() == null ? null : t.weightsKeys()[j - 1];
                rows.add(new CurveObservation(config, j, s.maxEpochs(), Arrays.copyOf(standard, j - 1), key,
                        standard[j - 1]));
            }
        }
        return rows;
    }
}
