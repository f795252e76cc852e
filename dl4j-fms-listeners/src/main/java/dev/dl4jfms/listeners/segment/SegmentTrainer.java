package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one segment of a trial: restores the trial's network (fresh configuration, snapshot, or stored
 * checkpoint: weights, updater state, epoch and iteration counts), trains the granted number of epochs with
 * {@code fit(iterator)} once per epoch, evaluates on the validation data after each epoch, stores a checkpoint per
 * epoch, and reports per-epoch metrics and how the segment ended.
 *
 * <p>Self-contained and free of Arbiter so it can run in any executor (Arbiter task, a user's thread, Spark).
 * Unlike DL4J's early-stopping trainer it never resets the model's epoch counter, so resumed segments continue
 * the trial's epoch numbering. Divergence (NaN/Inf training or validation loss) and exceptions are reported in
 * the outcome, never thrown. Thread-safe: one instance may train several segments concurrently (each call builds
 * its own network); the store must then be thread-safe, as {@link CheckpointStore} implementations are.
 */
public final class SegmentTrainer {

    private static final Logger log = LoggerFactory.getLogger(SegmentTrainer.class);

    private final CheckpointStore store;
    private final ValidationMetric metric;
    private final boolean saveWeights;
    private final boolean saveUpdaterState;
    private final Supplier<List<TrainingListener>> extraListeners;
    private final EpochObserver observer;
    private final boolean destroyWorkspaces;

    private SegmentTrainer(Builder b) {
        this.store = b.store;
        this.metric = b.metric;
        this.saveWeights = b.saveWeights;
        this.saveUpdaterState = b.saveUpdaterState;
        this.extraListeners = b.extraListeners;
        this.observer = b.observer;
        this.destroyWorkspaces = b.destroyWorkspaces;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ValidationMetric metric() {
        return metric;
    }

    /**
     * Trains one segment.
     *
     * @param request    what to train
     * @param train      training data; reset before every epoch
     * @param validation validation data, or null (then validation values are NaN and only training loss can
     *                   signal divergence)
     * @return the outcome; never throws for training problems (they become {@link SegmentStatus#FAILED})
     */
    public SegmentOutcome train(SegmentRequest request, DataSetIterator train, DataSetIterator validation) {
        long segmentStart = System.nanoTime();
        List<EpochMetrics> epochs = new ArrayList<>();
        int startEpoch = -1;
        TrainableModel model = null;
        try {
            model = start(request);
            startEpoch = model.epochCount();
            ScoreAccumulator scores = new ScoreAccumulator();
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(scores);
            if (extraListeners != null) {
                listeners.addAll(extraListeners.get());
            }
            model.setListeners(listeners);
            for (int i = 0; i < request.epochs(); i++) {
                long epochStart = System.nanoTime();
                scores.reset();
                if (train.resetSupported()) {
                    train.reset();
                }
                model.fitOneEpoch(train);
                double trainLoss = scores.mean();
                double valLoss = Double.NaN;
                double valAccuracy = Double.NaN;
                if (validation != null) {
                    valLoss = model.meanLoss(validation);
                    if (metric == ValidationMetric.ACCURACY && Double.isFinite(valLoss)) {
                        valAccuracy = model.accuracy(validation);
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                boolean diverged = !Double.isFinite(trainLoss) || (validation != null && !Double.isFinite(valLoss));
                EpochMetrics m = new EpochMetrics(model.epochCount(), trainLoss, valLoss, valAccuracy, seconds,
                        null);
                m = m.withCheckpoint(store(request.trialId(), model, m, !diverged));
                epochs.add(m);
                log.debug("Trial {} epoch {}: train loss {}, {} {}, {} s", request.trialId(), m.epoch(), trainLoss,
                        metric.key(), m.value(metric), seconds);
                if (diverged) {
                    return outcome(request, SegmentStatus.DIVERGED, "Diverged at epoch " + m.epoch()
                            + ": training loss " + trainLoss + ", validation loss " + valLoss, epochs, startEpoch,
                            model, segmentStart);
                }
                String stop = observer == null ? null : observer.afterEpoch(request.trialId(), m);
                if (stop != null) {
                    return outcome(request, SegmentStatus.STOPPED, stop, epochs, startEpoch, model, segmentStart);
                }
            }
            return outcome(request, SegmentStatus.COMPLETED, null, epochs, startEpoch, model, segmentStart);
        } catch (RuntimeException | OutOfMemoryError e) {
            log.warn("Segment of trial {} failed after {} epoch(s): {}", request.trialId(), epochs.size(),
                    e.toString());
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            return outcome(request, SegmentStatus.FAILED, message, epochs, startEpoch, model, segmentStart);
        } finally {
            if (model != null) {
                model.setListeners(List.of());
                model.clear();
            }
            if (destroyWorkspaces) {
                // Workspaces are per thread; pooled executor threads would otherwise keep them for the next segment.
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            }
        }
    }

    private TrainableModel start(SegmentRequest request) {
        if (request.resumeFrom() != null) {
            return TrainableModel.restore(request.resumeFrom());
        }
        if (request.resumeCheckpointId() != null) {
            if (store == null) {
                throw new IllegalStateException("Resuming from checkpoint " + request.resumeCheckpointId()
                        + " needs a store; this SegmentTrainer has none");
            }
            CheckpointRecord record = store.checkpoint(request.resumeCheckpointId()).orElseThrow(() ->
                    new IllegalArgumentException("No checkpoint " + request.resumeCheckpointId() + " in store "
                            + store.location()));
            return TrainableModel.restore(store.readSnapshot(record));
        }
        return TrainableModel.fresh(request.modelType(), request.configJson());
    }

    private Long store(long trialId, TrainableModel model, EpochMetrics m, boolean withWeights) {
        if (store == null) {
            return null;
        }
        ModelSnapshot snapshot = null;
        if (withWeights && saveWeights) {
            ModelSnapshot full = model.snapshot();
            snapshot = saveUpdaterState ? full : new ModelSnapshot(full.modelType(), full.configJson(),
                    full.params(), null, full.epochCount(), full.iterationCount());
        }
        return store.putCheckpoint(trialId, m.epoch(), model.iterationCount(), m.asMap(), snapshot).id();
    }

    private static SegmentOutcome outcome(SegmentRequest request, SegmentStatus status, String message,
                                          List<EpochMetrics> epochs, int startEpoch, TrainableModel model,
                                          long segmentStart) {
        int end = model == null ? startEpoch : model.epochCount();
        return new SegmentOutcome(request.trialId(), status, message, epochs, startEpoch, end,
                (System.nanoTime() - segmentStart) / 1e9);
    }

    /** Mean of the per-iteration scores of the current epoch. */
    private static final class ScoreAccumulator extends BaseTrainingListener {
        private double sum;
        private long count;

        void reset() {
            sum = 0;
            count = 0;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }
    }

    /** Validating builder for {@link SegmentTrainer}. */
    public static final class Builder {
        private CheckpointStore store;
        private ValidationMetric metric = ValidationMetric.ACCURACY;
        private boolean saveWeights = true;
        private boolean saveUpdaterState = true;
        private Supplier<List<TrainingListener>> extraListeners;
        private EpochObserver observer;
        private boolean destroyWorkspaces = true;

        private Builder() {
        }

        /** Where each epoch's checkpoint is stored; null (default) stores nothing. */
        public Builder store(CheckpointStore store) {
            this.store = store;
            return this;
        }

        /** The validation value reported per epoch (default accuracy). */
        public Builder metric(ValidationMetric metric) {
            if (metric == null) {
                throw new IllegalArgumentException("metric must not be null");
            }
            this.metric = metric;
            return this;
        }

        /** Store weights with each checkpoint (default true); false records metrics only. */
        public Builder saveWeights(boolean saveWeights) {
            this.saveWeights = saveWeights;
            return this;
        }

        /** Store the updater state too (default true), needed to resume with e.g. Adam moments intact. */
        public Builder saveUpdaterState(boolean saveUpdaterState) {
            this.saveUpdaterState = saveUpdaterState;
            return this;
        }

        /** Extra training listeners, created anew for every segment (listeners hold per-model state). */
        public Builder listeners(Supplier<List<TrainingListener>> listeners) {
            this.extraListeners = listeners;
            return this;
        }

        /** Told about every epoch; may stop the segment early. */
        public Builder observer(EpochObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Destroy the training thread's ND4J workspaces after each segment (default true). */
        public Builder destroyWorkspacesAfterSegment(boolean destroy) {
            this.destroyWorkspaces = destroy;
            return this;
        }

        public SegmentTrainer build() {
            if (!saveWeights && saveUpdaterState) {
                saveUpdaterState = false;
            }
            return new SegmentTrainer(this);
        }
    }
}
