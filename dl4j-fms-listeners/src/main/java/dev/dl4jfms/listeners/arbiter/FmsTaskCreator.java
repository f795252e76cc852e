package dev.dl4jfms.listeners.arbiter;

import dev.dl4jfms.arbiter.ArbiterStopListener;
import dev.dl4jfms.arbiter.ArbiterTrialStop;
import dev.dl4jfms.arbiter.FmsCandidate;
import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.arbiter.FmsDL4JConfiguration;
import dev.dl4jfms.arbiter.FmsGraphConfiguration;
import dev.dl4jfms.arbiter.SegmentReport;
import dev.dl4jfms.arbiter.SegmentTicket;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.listeners.segment.EpochMetrics;
import dev.dl4jfms.listeners.segment.SegmentOutcome;
import dev.dl4jfms.listeners.segment.SegmentRequest;
import dev.dl4jfms.listeners.segment.SegmentTrainer;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.study.TrialStop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arbiter {@link TaskCreator} for candidates of {@code FmsCandidateGenerator} ({@code MultiLayerSpace} and
 * {@code ComputationGraphSpace}): each task trains one segment with a {@link SegmentTrainer} - resume the trial
 * from its checkpoint in the store (weights, updater state, epoch count), train the granted epochs with checkpoint
 * capture, and return the learning curve as a {@link SegmentReport} in the result's model-specific field.
 *
 * <p>Result status: {@code Complete} with the last validation value as score when every granted epoch was
 * trained and the trial may go on (or reached B_max); {@code Cancelled} with a null score (so a partial run never
 * becomes the runner's best) and the reason as the candidate's message when the segment stopped early, diverged or
 * failed, or when the study stopped the trial on this segment's result. Never {@code Failed}, and the task never
 * throws: Arbiter does not report failed results to the generator, and the study must learn of every segment.
 *
 * <p><b>How the runner hears of stops.</b> With an {@link FmsCandidateGenerator} (found through
 * {@code runner.getConfiguration()}), each task tells the generator its result itself, on its own thread, before
 * it returns ({@link FmsCandidateGenerator#tellFromTask}); the policy decides right then, so a trial stopped on
 * that result (diverged, failed, dominated by the forecast it allowed) comes back {@code Cancelled} with the reason.
 * A trial stopped later, while paused (dominated by a newer incumbent, budget spent), has no task left to return
 * anything: the task creator announces it to the runner's {@code StatusListener}s as
 * {@code onCandidateStatusChange(info, runner, null)} with {@code info} = (index of the candidate that last
 * trained the trial, {@code Cancelled}, score null, reason in {@code getExceptionStackTrace()}). Arbiter's own
 * status table ({@code runner.getCandidateStatus()}) keeps that earlier candidate {@code Complete}: its segment did
 * complete. Code outside Arbiter can register an {@link ArbiterStopListener} on the generator directly. The training data is the provider's {@code trainData}, the
 * validation data its {@code testData} (both must be {@code DataSetIterator}s). The runner's score function is not
 * evaluated again; choose one with the same direction as the validation metric.
 */
public final class FmsTaskCreator implements TaskCreator {

    private static final Logger log = LoggerFactory.getLogger(FmsTaskCreator.class);

    private final CheckpointStore store;
    private final SegmentTrainer trainer;
    private final LateStopForwarder lateStops = new LateStopForwarder();

    /** Trains segments into {@code store} (the generator's store), reporting {@code metric} to the study. */
    public FmsTaskCreator(CheckpointStore store, ValidationMetric metric) {
        this(store, metric, null);
    }

    /**
     * @param listeners extra DL4J training listeners created for every segment (e.g. UI stats), or null
     */
    public FmsTaskCreator(CheckpointStore store, ValidationMetric metric,
                          Supplier<List<TrainingListener>> listeners) {
        if (store == null || metric == null) {
            throw new IllegalArgumentException("store and metric are required");
        }
        this.store = store;
        this.trainer = SegmentTrainer.builder().store(store).metric(metric).listeners(listeners).build();
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                               IOptimizationRunner runner) {
        checkDirection(scoreFunction);
        lateStops.attach(runner, statusListeners);
        long created = System.currentTimeMillis();
        return () -> run(candidate, created, () -> dataProvider.trainData(candidate.getDataParameters()),
                () -> dataProvider.testData(candidate.getDataParameters()), statusListeners, runner);
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        checkDirection(scoreFunction);
        lateStops.attach(runner, statusListeners);
        long created = System.currentTimeMillis();
        return () -> {
            DataSource source;
            try {
                source = dataSource.getDeclaredConstructor().newInstance();
                if (dataSourceProperties != null) {
                    source.configure(dataSourceProperties);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot instantiate data source " + dataSource.getName()
                        + " (needs a public no-argument constructor)", e);
            }
            return run(candidate, created, source::trainData, source::testData, statusListeners, runner);
        };
    }

    private void checkDirection(ScoreFunction scoreFunction) {
        if (scoreFunction != null && scoreFunction.minimize() == trainer.higherIsBetter()) {
            log.warn("score function {} {} but the validation metric {} is {}: the runner's 'best score' will be "
                    + "wrong", scoreFunction, scoreFunction.minimize() ? "minimises" : "maximises",
                    trainer.metric(), trainer.higherIsBetter() ? "maximised" : "minimised");
        }
    }

    private OptimizationResult run(Candidate candidate, long created, Supplier<Object> trainData,
                                   Supplier<Object> validationData, List<StatusListener> statusListeners,
                                   IOptimizationRunner runner) {
        long start = System.currentTimeMillis();
        notify(statusListeners, runner, new CandidateInfo(candidate.getIndex(), CandidateStatus.Running, null,
                created, start, null, candidate.getFlatParameters(), null), null);
        SegmentTicket ticket = null;
        SegmentReport report;
        try {
            Object value = candidate.getValue();
            if (!(value instanceof FmsCandidate fms)) {
                throw new IllegalArgumentException("FmsTaskCreator trains candidates of FmsCandidateGenerator, got "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            ticket = fms.ticket();
            SegmentRequest request = request(value, ticket);
            SegmentOutcome outcome = trainer.train(request, iterator(trainData.get(), "training"),
                    iterator(validationData.get(), "validation"));
            report = toReport(ticket, outcome);
        } catch (RuntimeException | Error e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (ticket == null) {
                // No ticket (the value could not be read): still return a result, never throw, because Arbiter
                // would count a thrown task as Failed and never tell the generator. The generator matches the
                // result to its segment by candidate index and records the failure.
                log.warn("candidate {} could not be trained: {}", candidate.getIndex(), message);
                CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Cancelled, null,
                        created, start, System.currentTimeMillis(), candidate.getFlatParameters(), message);
                OptimizationResult result = new OptimizationResult(candidate, null, candidate.getIndex(), null,
                        info, null);
                notify(statusListeners, runner, info, result);
                return result;
            }
            log.warn("segment {} of trial {} failed before training: {}", ticket.segmentId(), ticket.trialId(),
                    message);
            report = SegmentReport.failed(ticket, message);
        }
        Optional<TrialStop> stop = tellGenerator(runner, candidate.getIndex(), report);
        boolean cutShort = stop.isPresent() && stop.get().cutShort();
        boolean complete = report.status() == SegmentReport.Status.COMPLETED && !cutShort;
        Double score = complete ? report.lastValidation() : null;
        CandidateStatus status = complete ? CandidateStatus.Complete : CandidateStatus.Cancelled;
        String message = complete ? null : cutShort ? stop.get().message() : report.message();
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), status, score, created, start,
                System.currentTimeMillis(), candidate.getFlatParameters(), message);
        OptimizationResult result = new OptimizationResult(candidate, score, candidate.getIndex(), report, info,
                null);
        // Like Arbiter's own tasks, tell the status listeners (e.g. the UI) from the task thread.
        notify(statusListeners, runner, info, result);
        return result;
    }

    /**
     * Tells the runner's FMS generator the segment's result from this thread (see the class comment); empty when
     * the runner's generator is not an FMS one (its {@code reportResults} then tells the study as usual).
     */
    private static Optional<TrialStop> tellGenerator(IOptimizationRunner runner, int candidateIndex,
                                                     SegmentReport report) {
        FmsCandidateGenerator generator = fmsGenerator(runner);
        if (generator == null) {
            return Optional.empty();
        }
        try {
            return generator.tellFromTask(candidateIndex, report);
        } catch (RuntimeException e) {
            log.warn("could not tell the study the result of candidate {}: {}", candidateIndex, e.toString());
            return Optional.empty();
        }
    }

    private static FmsCandidateGenerator fmsGenerator(IOptimizationRunner runner) {
        if (runner == null || runner.getConfiguration() == null) {
            return null;
        }
        return runner.getConfiguration().getCandidateGenerator() instanceof FmsCandidateGenerator g ? g : null;
    }

    /**
     * Announces stops decided after a trial's segment ended to the runner's status listeners (see the class
     * comment). Attached to the runner's generator the first time a task is created for it.
     */
    private static final class LateStopForwarder implements ArbiterStopListener {
        private volatile IOptimizationRunner runner;
        private volatile List<StatusListener> listeners;
        private volatile FmsCandidateGenerator attachedTo;

        void attach(IOptimizationRunner runner, List<StatusListener> listeners) {
            this.runner = runner;
            this.listeners = listeners;
            FmsCandidateGenerator generator = fmsGenerator(runner);
            if (generator != null && generator != attachedTo) {
                generator.addStopListener(this);
                attachedTo = generator;
            }
        }

        @Override
        public void trialStopped(ArbiterTrialStop stop) {
            if (stop.reportedByTask() || stop.candidateIndex() < 0 || !stop.stop().cutShort()) {
                return;
            }
            long now = System.currentTimeMillis();
            CandidateInfo info = new CandidateInfo(stop.candidateIndex(), CandidateStatus.Cancelled, null, now, null,
                    now, null, stop.stop().message());
            FmsTaskCreator.notify(listeners, runner, info, null);
        }
    }

    private static void notify(List<StatusListener> listeners, IOptimizationRunner runner, CandidateInfo info,
                               OptimizationResult result) {
        if (listeners == null) {
            return;
        }
        for (StatusListener l : listeners) {
            try {
                l.onCandidateStatusChange(info, runner, result);
            } catch (RuntimeException e) {
                log.warn("status listener {} failed: {}", l, e.toString());
            }
        }
    }

    private SegmentRequest request(Object value, SegmentTicket ticket) {
        SegmentRequest.Builder b = SegmentRequest.builder(ticket.trialId()).epochs(ticket.epochs());
        if (ticket.resumeCheckpointId() != null) {
            return b.resumeFromCheckpoint(ticket.resumeCheckpointId()).build();
        }
        if (ticket.fromEpoch() > 0) {
            throw new IllegalStateException("trial " + ticket.trialId() + " has " + ticket.fromEpoch()
                    + " epochs but no checkpoint to resume from");
        }
        if (ticket.pretrainedCheckpointId() != null) {
            return b.resumeFrom(fineTuneStart(ticket.pretrainedCheckpointId())).build();
        }
        if (value instanceof FmsDL4JConfiguration c) {
            return b.fresh(c.getMultiLayerConfiguration()).build();
        }
        return b.fresh(((FmsGraphConfiguration) value).getConfiguration()).build();
    }

    /** Weights of a pretrained checkpoint with fresh counters and a fresh updater: epoch 0 of a new trial. */
    private ModelSnapshot fineTuneStart(long checkpointId) {
        CheckpointRecord record = store.checkpoint(checkpointId).orElseThrow(() -> new IllegalArgumentException(
                "pretrained checkpoint " + checkpointId + " is not in " + store.location()));
        ModelSnapshot s = store.readSnapshot(record);
        return new ModelSnapshot(s.modelType(), s.configJson(), s.params(), null, 0, 0);
    }

    private static DataSetIterator iterator(Object data, String what) {
        if (data instanceof DataSetIterator it) {
            return it;
        }
        throw new IllegalArgumentException("the " + what + " data must be a DataSetIterator, got "
                + (data == null ? "null" : data.getClass().getName()));
    }

    static SegmentReport toReport(SegmentTicket ticket, SegmentOutcome outcome) {
        List<SegmentReport.EpochPoint> points = new ArrayList<>();
        for (EpochMetrics m : outcome.epochs()) {
            Map<String, Double> extra = new HashMap<>(m.metrics());
            extra.values().removeIf(v -> v == null);
            points.add(new SegmentReport.EpochPoint(m.epoch(), m.validationValue(),
                    m.trainLoss(), m.checkpointId(), extra));
        }
        SegmentReport.Status status = switch (outcome.status()) {
            case COMPLETED -> SegmentReport.Status.COMPLETED;
            case STOPPED -> SegmentReport.Status.STOPPED;
            case DIVERGED -> SegmentReport.Status.DIVERGED;
            case FAILED -> SegmentReport.Status.FAILED;
        };
        return new SegmentReport(ticket, status, outcome.message(), points);
    }
}
