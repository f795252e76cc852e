package dev.dl4jfms.gp;

import dev.dl4jfms.forecast.CurveObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Meta-training of a {@link DeepKernelForecaster} on several tasks (earlier studies) at once, for a prior: one shared
 * feature extractor (and trainable embedder) and one set of GP hyperparameters, trained by Adam on the sum of the
 * tasks' negative log marginal likelihoods, one minibatch of at most {@code rowsPerStep} rows of one task per step
 * (keeps each Cholesky factorisation small and each kernel within one task, whose rows share a target scale).
 *
 * <p>All tasks share one target scaling ({@code shift}, {@code scale}: e.g. the mean and standard deviation of all
 * their values), which the forecaster keeps afterwards ({@link DeepKernelForecaster#fixTargetScaling()}): a study
 * that starts from it is forecast in the same units the network and GP hyperparameters were learned in. Afterwards
 * the forecaster holds no posterior and its next {@code fit} is warm ({@link DeepKernelForecaster#warmStartNextFit()}):
 * it starts from what was learned here on the target study's own rows.
 */
public final class MultiTaskFit {

    /**
     * What a meta-training run did.
     *
     * @param steps        Adam steps taken
     * @param tasks        tasks with at least two rows (others are skipped)
     * @param rows         rows over those tasks
     * @param meanNllFirst mean NLL/n of the first 100 steps
     * @param meanNllLast  mean NLL/n of the last 100 steps (lower = the features explain the tasks' curves better)
     * @param seconds      wall-clock seconds
     */
    public record Report(int steps, int tasks, int rows, double meanNllFirst, double meanNllLast, double seconds) {
    }

    private MultiTaskFit() {
    }

    /**
     * Resets {@code forecaster}'s parameters and trains them on {@code tasks} for {@code steps} Adam steps.
     *
     * @param tasks       per task its observations (same input encoding and embedder for all)
     * @param rowsPerStep rows per minibatch, at least 2 (tasks with fewer rows use all of them)
     * @param seed        which task and rows each step draws
     * @param shift       target shift shared by all tasks (and kept by the forecaster)
     * @param scale       target scale shared by all tasks, positive
     * @throws IllegalArgumentException when no task has two rows, or for bad arguments
     */
    public static Report fit(DeepKernelForecaster forecaster, List<List<CurveObservation>> tasks, int steps,
                             int rowsPerStep, long seed, double shift, double scale) {
        Objects.requireNonNull(forecaster, "forecaster");
        if (steps < 1 || rowsPerStep < 2) {
            throw new IllegalArgumentException("steps must be >= 1 and rowsPerStep >= 2, got " + steps + ", "
                    + rowsPerStep);
        }
        long started = System.nanoTime();
        forecaster.fixTargetScaling(shift, scale);
        List<ObservationBatch> batches = new ArrayList<>();
        List<CurveObservation> pooled = new ArrayList<>(); // the rows of the tasks used, for BatchNorm at the end
        for (List<CurveObservation> task : tasks) {
            if (task.size() >= 2) {
                batches.add(ObservationBatch.of(task, forecaster.settings, shift, scale, forecaster.embeddings));
                pooled.addAll(task);
            }
        }
        int rows = pooled.size();
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("meta-training needs at least one task with two observations");
        }
        forecaster.resetParameters();
        AdamOptimizer adam = new AdamOptimizer(forecaster.settings.learningRate);
        SplittableRandom rng = new SplittableRandom(seed);
        double first = 0;
        double last = 0;
        int window = Math.min(100, steps);
        for (int s = 0; s < steps; s++) {
            ObservationBatch task = batches.get(rng.nextInt(batches.size()));
            ObservationBatch batch = task.size() > rowsPerStep ? task.subset(DeepKernelForecaster.sampleRows(task.size(), rowsPerStep, rng))
                    : task;
            double nll;
            try {
                nll = forecaster.step(batch, adam, false);
            } catch (GpNumericalException e) {
                continue; // one ill-conditioned minibatch; the next draws other rows
            }
            if (s < window) {
                first += nll / window;
            }
            if (s >= steps - window) {
                last += nll / window;
            }
        }
        // BatchNorm statistics of the trained network over rows of all tasks (at most 2048), which a study that
        // starts from the prior keeps (DeepKernelForecaster.freezeFeatures)
        ObservationBatch all = ObservationBatch.of(pooled, forecaster.settings, shift, scale, forecaster.embeddings);
        if (all.size() > 2048) {
            all = all.subset(DeepKernelForecaster.sampleRows(all.size(), 2048, rng));
        }
        FeatureExtractor.TrainForward fwd = forecaster.network.forwardTrain(all.inputs());
        forecaster.bnMean = dev.dl4jfms.nd.Workspaces.outside(() -> fwd.bnMean().dup());
        forecaster.bnVar = dev.dl4jfms.nd.Workspaces.outside(() -> fwd.bnVar().dup());
        forecaster.trainingRows = List.of();
        forecaster.normalisedRows = 0;
        forecaster.warmStartNextFit();
        return new Report(steps, batches.size(), rows, first, last, (System.nanoTime() - started) / 1e9);
    }
}
