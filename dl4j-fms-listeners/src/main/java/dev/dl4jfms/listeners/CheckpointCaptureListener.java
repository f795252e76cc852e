package dev.dl4jfms.listeners;

import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshot;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Captures checkpoints of a training {@link MultiLayerNetwork} or {@link ComputationGraph} into a
 * {@link CheckpointStore}: at every epoch end (and optionally every N iterations) it copies the parameters and
 * updater state on the training thread (detached copies, so no live view ever reaches another thread), computes
 * the metrics, and hands the write to one background writer thread through a bounded queue. Training waits only
 * when the queue is full.
 *
 * <p>Recorded metrics at an epoch end: {@value #TRAIN_LOSS} (mean minibatch score of the epoch), {@value #SECONDS}
 * (wall time from epoch start to epoch end, before evaluation), the configured {@link ValidationMetric}s and the
 * values of a {@link ValidationScorer}. Epochs are stored 1-based as the number of completed epochs; iterations as
 * the number of completed iterations. A mid-epoch capture (every N iterations) records the epoch as the number of
 * epochs completed so far, the minibatch score as {@value #TRAIN_LOSS} and {@value #MID_EPOCH} = 1. NaN and
 * infinite losses are recorded as they are.
 *
 * <p>A failed write is never dropped: it is raised as a {@link CheckpointCaptureException} on the training thread
 * at the next capture point, or by {@link #flush()} / {@link #close()}. {@link #close()} waits for all queued
 * writes. Use one listener per network; listeners of networks training in parallel may share one store.
 *
 * <pre>{@code
 * try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trial.id())
 *         .validation(validationIterator, ValidationMetric.ACCURACY, ValidationMetric.LOSS)
 *         .build()) {
 *     net.setListeners(capture);
 *     net.fit(trainIterator, 10);
 * }
 * }</pre>
 */
public final class CheckpointCaptureListener extends BaseTrainingListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointCaptureListener.class);

    /** Mean training minibatch score of the epoch (or the minibatch score for a mid-epoch capture). */
    public static final String TRAIN_LOSS = "train_loss";
    /** Wall-clock seconds of the epoch's training (excluding this listener's evaluation). */
    public static final String SECONDS = "seconds";
    /** Present (= 1) on checkpoints captured in the middle of an epoch. */
    public static final String MID_EPOCH = "mid_epoch";

    private final CheckpointStore store;
    private final long trialId;
    private final boolean captureEveryEpoch;
    private final int everyNIterations;
    private final DataSetIterator validationData;
    private final Set<ValidationMetric> validationMetrics;
    private final ValidationScorer scorer;
    private final boolean saveUpdaterState;
    private final BackgroundCheckpointWriter writer;

    // Training-thread state (methods are synchronized: one listener may be called from one training thread at a
    // time, but close()/flush() may come from another).
    private long epochStartNanos = -1;
    private double scoreSum;
    private long scoreCount;
    private boolean closed;
    private long captureNanos;

    private CheckpointCaptureListener(Builder b) {
        this.store = b.store;
        this.trialId = b.trialId;
        this.captureEveryEpoch = b.captureEveryEpoch;
        this.everyNIterations = b.everyNIterations;
        this.validationData = b.validationData;
        this.validationMetrics = b.validationMetrics;
        this.scorer = b.scorer;
        this.saveUpdaterState = b.saveUpdaterState;
        this.writer = new BackgroundCheckpointWriter(store, trialId, b.queueCapacity);
    }

    /**
     * @param store   where checkpoints go; shared stores must be thread-safe (the SQLite store is)
     * @param trialId an existing trial of {@code store}
     */
    public static Builder builder(CheckpointStore store, long trialId) {
        return new Builder(store, trialId);
    }

    @Override
    public synchronized void onEpochStart(Model model) {
        epochStartNanos = System.nanoTime();
        scoreSum = 0;
        scoreCount = 0;
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        scoreSum += score;
        scoreCount++;
        if (everyNIterations > 0 && (iteration + 1) % everyNIterations == 0) {
            long start = System.nanoTime();
            ensureOpen();
            raisePendingFailure();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(TRAIN_LOSS, score);
            metrics.put(MID_EPOCH, 1.0);
            int completedEpochs = epochCount(model);
            long completedIterations = iteration + 1L;
            writer.submit(new BackgroundCheckpointWriter.PendingCheckpoint(completedEpochs, completedIterations,
                    metrics, snapshot(model, completedEpochs, completedIterations)));
            captureNanos += System.nanoTime() - start;
        }
    }

    @Override
    public synchronized void onEpochEnd(Model model) {
        long start = System.nanoTime();
        ensureOpen();
        double seconds = epochStartNanos < 0 ? Double.NaN : (start - epochStartNanos) / 1e9;
        raisePendingFailure();
        if (!captureEveryEpoch) {
            return;
        }
        // Inside onEpochEnd DL4J has not yet incremented the epoch counter: it is the 0-based index of the epoch
        // that just finished, so completed epochs = counter + 1. The iteration counter is already up to date.
        int completedEpochs = epochCount(model) + 1;
        long completedIterations = iterationCount(model);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(TRAIN_LOSS, scoreCount > 0 ? scoreSum / scoreCount : model.score());
        if (!Double.isNaN(seconds)) {
            metrics.put(SECONDS, seconds);
        }
        if (validationData != null) {
            metrics.putAll(ValidationEvaluator.evaluate(model, validationData, validationMetrics));
        }
        if (scorer != null) {
            Map<String, Double> custom = scorer.score(model);
            Objects.requireNonNull(custom, "ValidationScorer returned null");
            metrics.putAll(custom);
        }
        writer.submit(new BackgroundCheckpointWriter.PendingCheckpoint(completedEpochs, completedIterations,
                metrics, snapshot(model, completedEpochs, completedIterations)));
        epochStartNanos = -1;
        captureNanos += System.nanoTime() - start;
    }

    private ModelSnapshot snapshot(Model model, int completedEpochs, long completedIterations) {
        return ModelSnapshotCopier.copy(model, saveUpdaterState, completedEpochs, completedIterations);
    }

    private static int epochCount(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getEpochCount();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getEpochCount();
        }
        throw unsupported(model);
    }

    private static long iterationCount(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getIterationCount();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getIterationCount();
        }
        throw unsupported(model);
    }

    static IllegalArgumentException unsupported(Model model) {
        return new IllegalArgumentException("CheckpointCaptureListener supports MultiLayerNetwork and "
                + "ComputationGraph, not " + (model == null ? "null" : model.getClass().getName()));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("CheckpointCaptureListener of trial " + trialId + " is closed");
        }
    }

    private void raisePendingFailure() {
        CheckpointCaptureException failure = writer.takeFailure();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits until every queued checkpoint is written.
     *
     * @throws CheckpointCaptureException when a write failed and that failure was not raised yet
     */
    public void flush() {
        writer.awaitIdle();
        raisePendingFailure();
    }

    /**
     * Counters: checkpoints submitted, written, failed, pending; time training waited on a full queue and spent
     * in captures.
     */
    public CaptureStats stats() {
        long nanos;
        synchronized (this) {
            nanos = captureNanos;
        }
        return writer.stats().withCaptureSeconds(nanos / 1e9);
    }

    /** The trial this listener writes to. */
    public long trialId() {
        return trialId;
    }

    /**
     * Waits for all queued writes, stops the writer thread and raises a write failure not raised yet.
     * Idempotent; the store is not closed (it belongs to the caller).
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        writer.close();
        raisePendingFailure();
        log.debug("Capture of trial {} closed: {}", trialId, writer.stats());
    }

    @Override
    public String toString() {
        return "CheckpointCaptureListener(trial=" + trialId + ", everyEpoch=" + captureEveryEpoch
                + ", everyNIterations=" + everyNIterations + ", validation=" + validationMetrics
                + ", scorer=" + (scorer != null) + ", updaterState=" + saveUpdaterState + ")";
    }

    /** Validating builder; see {@link CheckpointCaptureListener}. */
    public static final class Builder {
        private final CheckpointStore store;
        private final long trialId;
        private boolean captureEveryEpoch = true;
        private int everyNIterations;
        private DataSetIterator validationData;
        private Set<ValidationMetric> validationMetrics = EnumSet.noneOf(ValidationMetric.class);
        private ValidationScorer scorer;
        private boolean saveUpdaterState = true;
        private int queueCapacity = 4;

        private Builder(CheckpointStore store, long trialId) {
            if (store == null) {
                throw new IllegalArgumentException("store is required");
            }
            this.store = store;
            this.trialId = trialId;
        }

        /** Capture at the end of every epoch (default true). */
        public Builder captureEveryEpoch(boolean captureEveryEpoch) {
            this.captureEveryEpoch = captureEveryEpoch;
            return this;
        }

        /** Also capture every {@code n} iterations (n &gt; 0); default off. */
        public Builder everyNIterations(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("everyNIterations must be positive, got " + n);
            }
            this.everyNIterations = n;
            return this;
        }

        /**
         * Evaluate {@code metrics} (default {@link ValidationMetric#ACCURACY} and {@link ValidationMetric#LOSS})
         * on {@code data} at every epoch end. The iterator must support reset; for a ComputationGraph the graph
         * must have one input and one output.
         */
        public Builder validation(DataSetIterator data, ValidationMetric... metrics) {
            if (data == null) {
                throw new IllegalArgumentException("validation iterator is null");
            }
            if (!data.resetSupported()) {
                throw new IllegalArgumentException("validation iterator " + data.getClass().getName()
                        + " does not support reset(); it is read at every epoch");
            }
            this.validationData = data;
            this.validationMetrics = metrics == null || metrics.length == 0
                    ? EnumSet.of(ValidationMetric.ACCURACY, ValidationMetric.LOSS)
                    : EnumSet.copyOf(Arrays.asList(metrics));
            return this;
        }

        /** A custom evaluation run at every epoch end; may be combined with {@link #validation}. */
        public Builder scorer(ValidationScorer scorer) {
            if (scorer == null) {
                throw new IllegalArgumentException("scorer is null");
            }
            this.scorer = scorer;
            return this;
        }

        /** Also store the updater state (default true) so training can resume exactly. */
        public Builder saveUpdaterState(boolean saveUpdaterState) {
            this.saveUpdaterState = saveUpdaterState;
            return this;
        }

        /** Checkpoints that may wait for the writer before training blocks (default 4, at least 1). */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Validates and starts the listener's writer thread.
         *
         * @throws IllegalArgumentException when the trial does not exist in the store or nothing would be captured
         */
        public CheckpointCaptureListener build() {
            if (!captureEveryEpoch && everyNIterations == 0) {
                throw new IllegalArgumentException(
                        "nothing to capture: enable captureEveryEpoch or set everyNIterations");
            }
            if (store.trial(trialId).isEmpty()) {
                throw new IllegalArgumentException("trial " + trialId + " does not exist in store "
                        + store.location());
            }
            return new CheckpointCaptureListener(this);
        }
    }
}
