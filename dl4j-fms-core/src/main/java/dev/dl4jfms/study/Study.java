package dev.dl4jfms.study;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ask/tell optimizer over a finite {@link CandidatePool} that advances trials by {@link Segment}s.
 *
 * <p>{@link #ask()} hands out a segment chosen by the {@link Policy} (several may be outstanding; a trial with an
 * outstanding segment is never handed out again); {@link #tell} records its result. Only epochs actually reported
 * are charged to the budget. With a {@link CheckpointStore} every observation and decision is persisted, and
 * {@link #open} on the same store resumes a study after a crash without losing or repeating epochs.
 *
 * <p>Thread-safe: all public methods synchronise on the study. Policies run inside {@link #ask()}.
 */
public final class Study {

    /** Store event kind of a policy note: which forecaster decides, hand-overs to the fallback policy. */
    public static final String POLICY_NOTE_EVENT = "policy_note";

    private static final Logger log = LoggerFactory.getLogger(Study.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final StudyState state;
    private final Policy policy;
    private final StudyJournal journal;
    private long nextLocalId = 1;
    private boolean policyDone;
    private boolean closedOut;
    private final List<TrialStopListener> stopListeners = new CopyOnWriteArrayList<>();

    private Study(String name, StudySettings settings, CandidatePool pool, Policy policy, StudyJournal journal) {
        if (settings == null || pool == null || policy == null) {
            throw new IllegalArgumentException("settings, pool and policy are required");
        }
        this.name = name;
        this.state = new StudyState(settings, pool);
        this.policy = policy;
        this.journal = journal;
    }

    /** A study kept in memory only (benchmark replays, tests): nothing is persisted. */
    public static Study inMemory(StudySettings settings, CandidatePool pool, Policy policy) {
        return new Study("in-memory", settings, pool, policy, null);
    }

    /**
     * Opens study {@code name} in {@code store}: creates it, or resumes it from the store when it exists (same pool
     * and settings required; only the budget may change).
     */
    public static Study open(CheckpointStore store, String name, StudySettings settings, CandidatePool pool,
                             Policy policy) {
        if (store == null || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a store and a non-empty study name are required");
        }
        StudyJournal journal = StudyJournal.openOrCreate(store, name, settings, pool, policy.name());
        Study study = new Study(name, settings, pool, policy, journal);
        if (journal.resumed()) {
            List<PolicyNote> notes = journal.rebuild(study.state, policy.name());
            policy.restore(notes);
        }
        return study;
    }

    /** Like {@link #open(CheckpointStore, String, StudySettings, CandidatePool, Policy)} with a pool drawn from
     * {@code space} using the settings' pool size and seed. */
    public static Study open(CheckpointStore store, String name, StudySettings settings, ParameterSpace<?> space,
                             Policy policy) {
        return open(store, name, settings, CandidatePool.draw(space, settings.poolSize(), settings.seed()), policy);
    }

    /**
     * The next segment to train, or empty when none can be handed out now (budget granted, the policy waits for
     * outstanding results, or the study is finished: check {@link #isFinished()}).
     */
    public synchronized Optional<Segment> ask() {
        if (closedOut || state.availableEpochs() <= 0) {
            return Optional.empty();
        }
        Decision d = policy.decide(state);
        record(d);
        switch (d.action()) {
            case TRAIN:
                return Optional.of(start(d));
            case WAIT:
                if (state.runningCount() == 0) {
                    log.warn("policy {} waits although nothing is running; treating it as done", policy.name());
                    policyDone = true;
                }
                return Optional.empty();
            default:
                policyDone = true;
                return Optional.empty();
        }
    }

    /**
     * Lets the policy look at the study now and records the notes and terminations it decides, without handing out
     * a segment: its choice of what to train next is dropped, and the next {@link #ask()} decides again (policies
     * derive their decisions from the study's state, see {@link Policy}). For executors that must say whether work
     * exists before they have a free slot for it (Arbiter's runner asks {@code hasMoreCandidates()} before it looks
     * at its slots), and for recording a stop decided on a result as soon as it is told, while the stopped trial's
     * executor can still report it.
     *
     * @return true when {@link #ask()} would hand out a segment now (unless results arrive in between)
     */
    public synchronized boolean review() {
        if (closedOut || state.availableEpochs() <= 0) {
            return false;
        }
        Decision d = policy.decide(state);
        record(d);
        switch (d.action()) {
            case TRAIN:
                return true;
            case WAIT:
                if (state.runningCount() == 0) {
                    policyDone = true;
                }
                return false;
            default:
                policyDone = true;
                return false;
        }
    }

    private void record(Decision d) {
        for (PolicyNote note : d.notes()) {
            log.info("policy {}: {} - {}", policy.name(), note.kind(), note.message());
            if (journal != null) {
                journal.note(policy.name(), note);
            }
        }
        for (Termination t : d.terminations()) {
            terminate(t);
        }
    }

    private Segment start(Decision d) {
        TrialState t = state.trial(d.poolIndex());
        int bMax = state.settings().maxEpochsPerTrial();
        if (!t.canContinue(bMax) || d.targetEpoch() <= t.epochsTrained() || d.targetEpoch() > bMax) {
            throw new IllegalStateException("policy " + policy.name() + " chose " + t + " to reach epoch "
                    + d.targetEpoch() + ", which it cannot (B_max " + bMax + ")");
        }
        int from = t.epochsTrained();
        int to = Math.min(d.targetEpoch(), from + state.availableEpochs());
        if (t.trialId() == null) {
            t.setTrialId(journal != null ? journal.createTrial(state.pool(), t.poolIndex()) : nextLocalId++);
        }
        Long resumeCheckpoint = from == 0 ? null : t.checkpointId(from);
        String rationale = d.rationale() == null ? policy.name() : policy.name() + ": " + d.rationale();
        long segmentId = journal != null
                ? journal.segmentStarted(t.trialId(), t.poolIndex(), from, to, resumeCheckpoint, rationale)
                : nextLocalId++;
        Segment s = new Segment(segmentId, t.trialId(), t.poolIndex(), state.pool().get(t.poolIndex()).unitVector(),
                state.pool().get(t.poolIndex()).startCheckpointId(), resumeCheckpoint, t.weightsKeyBefore(from + 1),
                from, to);
        t.setStatus(TrialStatus.RUNNING, null, "training epochs " + (from + 1) + ".." + to);
        state.startSegment(s);
        log.debug("segment {}: pool {} epochs {}..{} ({})", segmentId, t.poolIndex(), from + 1, to, rationale);
        return s;
    }

    private void terminate(Termination term) {
        TrialState t = state.trial(term.poolIndex());
        if (t.isTerminal() || t.isRunning() || t.trialId() == null) {
            log.warn("policy {} asked to terminate {}, which is not a paused trial; ignored", policy.name(), t);
            return;
        }
        TrialStatus status = switch (term.reason()) {
            case REACHED_MAX_EPOCHS -> TrialStatus.FINISHED;
            case DIVERGED -> TrialStatus.DIVERGED;
            case FAILED -> TrialStatus.FAILED;
            default -> TrialStatus.STOPPED;
        };
        t.setStatus(status, term.reason(), term.reason().describe(term.detail()));
        log.debug("trial {} (pool {}) terminated: {}", t.trialId(), t.poolIndex(), t.statusReason());
        if (journal != null) {
            journal.statusChanged(t, StudyJournal.TERMINATION);
        }
        announceStop(t);
    }

    /**
     * Registers a listener told of every trial that ends for good from now on (finished, stopped early, diverged,
     * failed), e.g. to tell an executor or a runner why. See {@link TrialStopListener} for the threading rules.
     */
    public void addStopListener(TrialStopListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        stopListeners.add(listener);
    }

    /** Removes a listener added with {@link #addStopListener}; no-op when it is not registered. */
    public void removeStopListener(TrialStopListener listener) {
        stopListeners.remove(listener);
    }

    private void announceStop(TrialState t) {
        if (stopListeners.isEmpty() || !t.isTerminal() || t.terminationReason() == null) {
            return;
        }
        TrialStop stop = new TrialStop(t.trialId(), t.poolIndex(), t.status(), t.terminationReason(),
                t.statusReason() == null ? t.terminationReason().describe(null) : t.statusReason(),
                t.epochsTrained());
        for (TrialStopListener l : stopListeners) {
            try {
                l.trialStopped(stop);
            } catch (RuntimeException e) {
                log.warn("stop listener {} failed on {}: {}", l, stop, e.toString());
            }
        }
    }

    /**
     * Records the result of an outstanding segment. Epochs must be consecutive from the segment's
     * {@code fromEpoch + 1} and at most as many as granted.
     *
     * @throws IllegalArgumentException for an unknown or already answered segment, or malformed epochs (the
     *                                  segment then stays outstanding)
     */
    public synchronized void tell(SegmentResult result) {
        Segment s = state.runningSegment(result.segmentId());
        if (s == null) {
            throw new IllegalArgumentException("segment " + result.segmentId() + " is not outstanding in study '"
                    + name + "' (unknown, already answered, or from before a restart)");
        }
        List<EpochResult> epochs = result.epochs();
        if (epochs.size() > s.epochs()) {
            throw new IllegalArgumentException("segment " + s.segmentId() + " granted " + s.epochs() + " epochs but "
                    + epochs.size() + " were reported");
        }
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.get(i).epoch() != s.fromEpoch() + 1 + i) {
                throw new IllegalArgumentException("segment " + s.segmentId() + " reported epoch "
                        + epochs.get(i).epoch() + " where epoch " + (s.fromEpoch() + 1 + i) + " was expected");
            }
        }
        TrialState t = state.trial(s.poolIndex());
        List<String> keys = new ArrayList<>();
        Integer divergedAt = null;
        for (EpochResult e : epochs) {
            Long checkpointId = e.checkpointId();
            boolean hasWeights = checkpointId != null; // an in-memory study trusts the executor
            if (journal != null) {
                CheckpointRecord rec = journal.recordEpoch(t.trialId(), e);
                checkpointId = rec.id();
                hasWeights = rec.hasWeights();
            }
            String key = e.weightsKey() != null ? e.weightsKey()
                    : hasWeights ? WeightsKeys.checkpoint(checkpointId) : null;
            keys.add(key);
            boolean better = state.addEpoch(t, e.validation(), e.test() == null ? Double.NaN : e.test(), key,
                    checkpointId);
            if (better && journal != null) {
                journal.incumbent(state.incumbent().orElseThrow());
            }
            if (divergedAt == null && e.diverged()) {
                divergedAt = e.epoch();
            }
        }
        state.endSegment(s);
        policyDone = false;
        if (result.status() == SegmentResult.Status.FAILED) {
            t.setStatus(TrialStatus.FAILED, TerminationReason.FAILED, TerminationReason.FAILED.describe(
                    result.message() + " after epoch " + t.epochsTrained()));
        } else if (divergedAt != null || result.status() == SegmentResult.Status.DIVERGED) {
            String detail = divergedAt != null ? "epoch " + divergedAt : "after epoch " + t.epochsTrained();
            t.setStatus(TrialStatus.DIVERGED, TerminationReason.DIVERGED, TerminationReason.DIVERGED.describe(
                    result.message() == null ? detail : detail + ": " + result.message()));
        } else if (t.epochsTrained() >= state.settings().maxEpochsPerTrial()) {
            t.setStatus(TrialStatus.FINISHED, TerminationReason.REACHED_MAX_EPOCHS,
                    TerminationReason.REACHED_MAX_EPOCHS.describe(null));
        } else {
            t.setStatus(TrialStatus.PAUSED, null, "paused after epoch " + t.epochsTrained());
        }
        if (t.isTerminal()) {
            log.debug("trial {} (pool {}) {}", t.trialId(), t.poolIndex(), t.statusReason());
        }
        if (journal != null) {
            journal.segmentFinished(s, result, keys);
            journal.statusChanged(t, StudyJournal.TRIAL_STATUS);
        }
        announceStop(t);
    }

    /**
     * True when nothing is running and the budget is spent or nothing is left to do (no trial can continue, or the
     * policy said it is done). Paused trials of a study that spent its budget are then stopped with
     * {@link TerminationReason#BUDGET_SPENT}.
     */
    public synchronized boolean isFinished() {
        if (closedOut) {
            return true;
        }
        if (state.runningCount() > 0) {
            return false;
        }
        boolean budgetSpent = state.spentEpochs() >= state.settings().budgetEpochs();
        boolean anyLeft = state.trials().stream().anyMatch(t -> t.canContinue(state.settings().maxEpochsPerTrial()));
        if (!budgetSpent && anyLeft && !policyDone) {
            return false;
        }
        closeOut(budgetSpent);
        return true;
    }

    private void closeOut(boolean budgetSpent) {
        closedOut = true;
        if (budgetSpent) {
            for (TrialState t : state.trials()) {
                if (t.status() == TrialStatus.PAUSED) {
                    t.setStatus(TrialStatus.STOPPED, TerminationReason.BUDGET_SPENT,
                            TerminationReason.BUDGET_SPENT.describe("after epoch " + t.epochsTrained()));
                    if (journal != null) {
                        journal.statusChanged(t, StudyJournal.TERMINATION);
                    }
                    announceStop(t);
                }
            }
        }
        String why = budgetSpent ? "budget spent" : policyDone ? "policy has nothing left" : "no trial can continue";
        log.info("study '{}' finished ({}): {} epochs spent, incumbent {}", name, why, state.spentEpochs(),
                state.incumbent().orElse(null));
        if (journal != null) {
            var p = JSON.createObjectNode().put("reason", why).put("spentEpochs", state.spentEpochs());
            state.incumbent().ifPresent(inc -> p.put("incumbentPoolIndex", inc.poolIndex())
                    .put("incumbentValue", inc.rawValue()));
            journal.event(StudyJournal.STUDY_FINISHED, p);
        }
    }

    /** The outstanding segments. */
    public synchronized List<Segment> runningSegments() {
        return state.runningSegments();
    }

    public synchronized Optional<Incumbent> incumbent() {
        return state.incumbent();
    }

    public synchronized int spentEpochs() {
        return state.spentEpochs();
    }

    /** State of pool candidate {@code poolIndex}; read it on the thread that calls ask/tell. */
    public synchronized TrialState trial(int poolIndex) {
        return state.trial(poolIndex);
    }

    /** A read-only view for reports; not a snapshot, so read it while no other thread calls ask/tell. */
    public StudyView view() {
        return state;
    }

    public StudySettings settings() {
        return state.settings();
    }

    public CandidatePool pool() {
        return state.pool();
    }

    public Policy policy() {
        return policy;
    }

    public String name() {
        return name;
    }

    /** The store's study id, or empty for an in-memory study. */
    public Optional<Long> studyId() {
        return journal == null ? Optional.empty() : Optional.of(journal.studyId());
    }
}
