package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.ValidationScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final boolean saveUpdaterState;
    private final Supplier<List<TrainingListener>> extraListeners;
    private final EpochObserver observer;
    private final boolean destroyWorkspaces;
    private final ValidationScorer scorer;

    private SegmentTrainer(Builder b) {
        this.store = b.store;
        this.metric = b.metric;
        this.saveUpdaterState = b.saveUpdaterState;
        this.extraListeners = b.extraListeners;
        this.observer = b.observer;
        this.destroyWorkspaces = b.destroyWorkspaces;
        this.scorer = b.scorer;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ValidationMetric metric() {
        return metric;
    }

    /** Whether larger values of {@link #metric()} are better (false only for loss). */
    public boolean higherIsBetter() {
        return metric != ValidationMetric.LOSS;
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
        long trialId = request.trialId();
        List<EpochMetrics> epochs = new ArrayList<>();
        int startEpoch = -1;
        TrainableModel model = null;
        CheckpointCaptureListener capture = null;
        ScoreAccumulator scores = new ScoreAccumulator();
        try {
            model = start(request);
            startEpoch = model.epochCount();
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(scores);
            if (store != null) {
                CheckpointCaptureListener.Builder b = CheckpointCaptureListener.builder(store, trialId)
                        .saveUpdaterState(saveUpdaterState);
                if (validation != null) {
                    b.validation(validation, metric, ValidationMetric.LOSS);
                }
                if (scorer != null) {
                    b.scorer(scorer);
                }
                capture = b.build();
                listeners.add(capture);
            }
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
                EpochMetrics m = capture != null
                        ? fromStore(trialId, model, capture, epochStart)
                        : evaluate(model, scores.mean(), validation, epochStart);
                epochs.add(m);
                log.debug("Trial {} epoch {}: {}", trialId, m.epoch(), m.metrics());
                boolean diverged = !Double.isFinite(m.trainLoss()) || (validation != null
                        && (!Double.isFinite(m.validationValue())
                        || !Double.isFinite(m.metric(ValidationMetric.LOSS.key()))));
                if (diverged) {
                    return outcome(request, SegmentStatus.DIVERGED, "Diverged at epoch " + m.epoch()
                            + ": training loss " + m.trainLoss() + ", " + metric.key() + " " + m.validationValue()
                            + ", " + ValidationMetric.LOSS.key() + " " + m.metric(ValidationMetric.LOSS.key()),
                            epochs, startEpoch, model, segmentStart);
                }
                String stop = observer == null ? null : observer.afterEpoch(trialId, m);
                if (stop != null) {
                    return outcome(request, SegmentStatus.STOPPED, stop, epochs, startEpoch, model, segmentStart);
                }
            }
            return outcome(request, SegmentStatus.COMPLETED, null, epochs, startEpoch, model, segmentStart);
        } catch (RuntimeException e) {
            if (model != null && scores.count() > 0 && !Double.isFinite(scores.mean())) {
                // DL4J's Evaluation throws on NaN predictions (inside the capture listener's epoch end): that is
                // divergence, not a failure. The epoch was trained, so it is reported (and charged).
                return divergedInsideEpoch(request, model, scores.mean(), e, epochs, startEpoch, segmentStart);
            }
            log.warn("Segment of trial {} failed after {} epoch(s): {}", trialId, epochs.size(), e.toString());
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            return outcome(request, SegmentStatus.FAILED, message, epochs, startEpoch, model, segmentStart);
        } catch (OutOfMemoryError e) {
            log.warn("Segment of trial {} failed after {} epoch(s): {}", trialId, epochs.size(), e.toString());
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            return outcome(request, SegmentStatus.FAILED, message, epochs, startEpoch, model, segmentStart);
        } finally {
            if (capture != null) {
                try {
                    capture.close();
                } catch (RuntimeException e) {
                    log.warn("Closing the checkpoint capture of trial {} failed: {}", trialId, e.toString());
                }
            }
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

    private SegmentOutcome divergedInsideEpoch(SegmentRequest request, TrainableModel model, double trainLoss,
                                               RuntimeException cause, List<EpochMetrics> epochs, int startEpoch,
                                               long segmentStart) {
        int epoch = startEpoch + epochs.size() + 1;
        Map<String, Double> metrics = Map.of(CheckpointCaptureListener.TRAIN_LOSS, trainLoss);
        Long id = null;
        if (store != null) {
            try {
                id = store.putCheckpoint(request.trialId(), epoch, model.iterationCount(), metrics, null).id();
            } catch (RuntimeException e) {
                log.warn("Could not record the diverged epoch {} of trial {}: {}", epoch, request.trialId(), e.toString());
            }
        }
        epochs.add(new EpochMetrics(epoch, trainLoss, Double.NaN, metrics, Double.NaN, id));
        String message = "Diverged at epoch " + epoch + ": training loss " + trainLoss + " ("
                + cause.getMessage() + ")";
        SegmentOutcome o = outcome(request, SegmentStatus.DIVERGED, message, epochs, startEpoch, model, segmentStart);
        return new SegmentOutcome(o.trialId(), o.status(), o.message(), o.epochs(), o.startEpoch(), epoch,
                o.totalSeconds());
    }

    /**
     * Waits for the epoch's checkpoint to be durable, then reads back what the capture listener recorded, so the
     * observer is only told about epochs whose checkpoint survives a crash.
     */
    private EpochMetrics fromStore(long trialId, TrainableModel model, CheckpointCaptureListener capture,
                                   long epochStart) {
        capture.flush();
        CheckpointRecord record = store.latestCheckpoint(trialId).orElseThrow(() ->
                new IllegalStateException("No checkpoint of trial " + trialId + " after epoch " + model.epochCount()));
        if (record.epoch() != model.epochCount()) {
            throw new IllegalStateException("Latest checkpoint of trial " + trialId + " is for epoch "
                    + record.epoch() + ", expected " + model.epochCount());
        }
        return new EpochMetrics(record.epoch(), record.metric(CheckpointCaptureListener.TRAIN_LOSS),
                record.metric(metric.key()), record.metrics(), (System.nanoTime() - epochStart) / 1e9, record.id());
    }

    private EpochMetrics evaluate(TrainableModel model, double trainLoss, DataSetIterator validation,
                                  long epochStart) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(CheckpointCaptureListener.TRAIN_LOSS, trainLoss);
        double value = Double.NaN;
        if (validation != null) {
            double loss = model.meanLoss(validation);
            metrics.put(ValidationMetric.LOSS.key(), loss);
            value = loss;
            if (metric != ValidationMetric.LOSS) {
                value = model.classificationMetric(validation, metric);
                metrics.put(metric.key(), value);
            }
        }
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        metrics.put(CheckpointCaptureListener.SECONDS, seconds);
        return new EpochMetrics(model.epochCount(), trainLoss, value, metrics, seconds, null);
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

        long count() {
            return count;
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
        private boolean saveUpdaterState = true;
        private Supplier<List<TrainingListener>> extraListeners;
        private EpochObserver observer;
        private boolean destroyWorkspaces = true;
        private ValidationScorer scorer;

        private Builder() {
        }

        /**
         * Extra metrics recorded with each epoch's checkpoint (e.g. test accuracy for a benchmark hub); needs a
         * {@link #store}. Called on the training thread after every epoch, so an instance used by one trainer only
         * needs no synchronisation when the trainer trains one segment at a time.
         */
        public Builder scorer(ValidationScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /** Where each epoch's checkpoint is stored; null (default) stores nothing. */
        public Builder store(CheckpointStore store) {
            this.store = store;
            return this;
        }

        /** The validation value reported per epoch (default accuracy; {@code val_loss} is always recorded). */
        public Builder metric(ValidationMetric metric) {
            if (metric == null) {
                throw new IllegalArgumentException("metric must not be null");
            }
            this.metric = metric;
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
            if (scorer != null && store == null) {
                throw new IllegalArgumentException("a scorer records its metrics with the checkpoints: it needs a store");
            }
            return new SegmentTrainer(this);
        }
    }
}
