package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.EpochResult;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.SegmentResult;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Early termination for a user's own training loop: reports each epoch to a {@link Study} and says when to stop,
 * with the reason. DL4J has no clean way to interrupt {@code fit(iterator)} from a listener (throwing aborts with an
 * exception), so training stops at epoch boundaries: fit one epoch at a time and ask {@link #shouldStop()}.
 *
 * <pre>{@code
 * Segment segment = study.ask().orElseThrow();            // a new or paused trial to train
 * MultiLayerNetwork net = ...;                            // built (or resumed) for segment
 * TrainingController controller = TrainingController.start(study, segment);
 * net.addListeners(controller.listener(validationIterator, ValidationMetric.ACCURACY, store));
 * while (!controller.shouldStop()) {
 *     net.fit(trainIterator);                             // one epoch; the listener reports it
 * }
 * controller.close();
 * StopSignal why = controller.stopSignal().orElseThrow(); // e.g. TERMINATED: DOMINATED ..., or PAUSED
 * Optional<Segment> next = controller.nextSegment();      // work the study handed out for another trial
 * }</pre>
 *
 * <p>The controller keeps answering the study for its trial: when the granted segment is done it tells the result,
 * then asks for more work; a further segment of the same trial lets training continue seamlessly, a segment of
 * another trial pauses this one (kept in {@link #nextSegment()} for the caller), a terminated trial or a finished
 * study stops it. Thread-safe: the listener calls it on the training thread, the loop may read it anywhere.
 */
public final class TrainingController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainingController.class);

    private final Study study;
    private final long trialId;
    private final int poolIndex;
    private Segment current;
    private final List<EpochResult> pending = new ArrayList<>();
    private StopSignal stop;
    private Segment next;
    private final List<EarlyTerminationListener> listeners = new ArrayList<>();

    private TrainingController(Study study, Segment segment) {
        this.study = study;
        this.current = segment;
        this.trialId = segment.trialId();
        this.poolIndex = segment.poolIndex();
    }

    /**
     * Controls the training of {@code segment}, which must be outstanding in {@code study} (returned by
     * {@link Study#ask()} and not yet told).
     */
    public static TrainingController start(Study study, Segment segment) {
        if (study == null || segment == null) {
            throw new IllegalArgumentException("study and segment are required");
        }
        if (study.runningSegments().stream().noneMatch(s -> s.segmentId() == segment.segmentId())) {
            throw new IllegalArgumentException("segment " + segment.segmentId() + " is not outstanding in study '"
                    + study.name() + "'");
        }
        return new TrainingController(study, segment);
    }

    /**
     * A DL4J listener that reports every epoch to this controller.
     *
     * @param validation validation data evaluated at each epoch end (must support reset)
     * @param metric     which validation value the study optimises; its key should equal the study's metric name
     * @param store      when non-null, each epoch's checkpoint (weights, updater state, metrics) is written there
     *                   and its id reported, so a paused trial can be resumed; null reports metrics only
     */
    public TrainingListener listener(DataSetIterator validation, ValidationMetric metric, CheckpointStore store) {
        if (!metric.key().equals(study.settings().metricName())) {
            log.warn("listener reports '{}' but study '{}' optimises '{}'", metric.key(), study.name(),
                    study.settings().metricName());
        }
        EarlyTerminationListener listener = new EarlyTerminationListener(this, validation, metric, store);
        synchronized (this) {
            listeners.add(listener);
        }
        return listener;
    }

    /** The trial being trained. */
    public long trialId() {
        return trialId;
    }

    /** The epoch count at which the current segment started. */
    public synchronized int segmentFromEpoch() {
        return current == null ? -1 : current.fromEpoch();
    }

    /**
     * Reports one completed epoch (the listener does this; call it yourself when not using the listener).
     *
     * @return null to continue training, or the reason to stop
     * @throws IllegalArgumentException when the epoch number is not the next one of the trial
     */
    public synchronized StopSignal reportEpoch(EpochResult epoch) {
        if (stop != null) {
            return stop;
        }
        int expected = current.fromEpoch() + pending.size() + 1;
        if (epoch.epoch() != expected) {
            throw new IllegalArgumentException("trial " + trialId + " reported epoch " + epoch.epoch()
                    + " but epoch " + expected + " was expected");
        }
        pending.add(epoch);
        if (epoch.diverged()) {
            tell(SegmentResult.diverged(current, List.copyOf(pending), "validation " + epoch.validation()
                    + ", training loss " + epoch.trainLoss()));
            return stopIfTerminal().orElseGet(() -> stopWith(new StopSignal(StopSignal.Kind.TERMINATED,
                    "diverged at epoch " + epoch.epoch(), null)));
        }
        if (pending.size() < current.epochs()) {
            return null;
        }
        tell(SegmentResult.ok(current, List.copyOf(pending)));
        Optional<StopSignal> terminal = stopIfTerminal();
        if (terminal.isPresent()) {
            return terminal.get();
        }
        Optional<Segment> more = study.ask();
        terminal = stopIfTerminal(); // ask() runs the policy's terminations (e.g. dominated)
        if (terminal.isPresent()) {
            more.ifPresent(s -> next = s);
            return terminal.get();
        }
        if (more.isPresent() && more.get().trialId() == trialId) {
            current = more.get();
            log.debug("trial {} continues to epoch {}", trialId, current.toEpoch());
            return null;
        }
        if (more.isPresent()) {
            next = more.get();
            return stopWith(new StopSignal(StopSignal.Kind.PAUSED, "paused after epoch " + epoch.epoch()
                    + ": the optimizer chose trial " + next.trialId() + " next", null));
        }
        if (study.isFinished()) {
            return stopWith(new StopSignal(StopSignal.Kind.STUDY_FINISHED, "the study is finished ("
                    + study.spentEpochs() + " epochs spent)", null));
        }
        return stopWith(new StopSignal(StopSignal.Kind.PAUSED, "paused after epoch " + epoch.epoch()
                + ": the optimizer grants no more epochs now", null));
    }

    /** Reports that training failed; the epochs reported so far are kept. */
    public synchronized StopSignal fail(String message) {
        if (stop != null) {
            return stop;
        }
        tell(SegmentResult.failed(current, List.copyOf(pending), message));
        return stopWith(new StopSignal(StopSignal.Kind.FAILED, message, null));
    }

    /** True once the study has said to stop; check it after every epoch. */
    public synchronized boolean shouldStop() {
        return stop != null;
    }

    /** Why training should stop, empty while it may continue. */
    public synchronized Optional<StopSignal> stopSignal() {
        return Optional.ofNullable(stop);
    }

    /** A segment of another trial the study handed out while pausing this one; train it next (or tell it). */
    public synchronized Optional<Segment> nextSegment() {
        return Optional.ofNullable(next);
    }

    /**
     * Ends control. When the loop stopped on its own before the granted epochs were done, the epochs trained so
     * far are told to the study (the trial becomes paused) and the stop reason says so. Idempotent.
     */
    @Override
    public synchronized void close() {
        listeners.forEach(EarlyTerminationListener::close);
        if (stop == null) {
            int lastEpoch = current.fromEpoch() + pending.size();
            tell(SegmentResult.ok(current, List.copyOf(pending)));
            stopIfTerminal().orElseGet(() -> stopWith(new StopSignal(StopSignal.Kind.PAUSED,
                    "the training loop ended after epoch " + lastEpoch, null)));
        }
    }

    private void tell(SegmentResult result) {
        study.tell(result);
        pending.clear();
        current = null;
    }

    private Optional<StopSignal> stopIfTerminal() {
        TrialState t = study.trial(poolIndex);
        if (!t.isTerminal()) {
            return Optional.empty();
        }
        return Optional.of(stopWith(new StopSignal(StopSignal.Kind.TERMINATED, t.statusReason(),
                t.terminationReason())));
    }

    private StopSignal stopWith(StopSignal signal) {
        stop = signal;
        log.info("trial {}: stop training ({})", trialId, signal);
        return signal;
    }
}
