package dev.dl4jfms.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The mutable bookkeeping behind a {@link Study}: trial states, outstanding segments, budget, incumbent. */
final class StudyState implements StudyView {

    private final StudySettings settings;
    private final CandidatePool pool;
    private final List<TrialState> trials;
    private final Map<Long, Segment> runningBySegment = new HashMap<>();
    private int spentEpochs;
    private int reservedEpochs;
    private Incumbent incumbent;
    /** best value at each epoch among trials trained that long (index = epoch), rebuilt lazily; null = stale. */
    private double[] bestAtEpoch;

    StudyState(StudySettings settings, CandidatePool pool) {
        this.settings = settings;
        this.pool = pool;
        List<TrialState> list = new ArrayList<>(pool.size());
        for (PoolCandidate c : pool.candidates()) {
            String initialKey = c.startCheckpointId() != null ? WeightsKeys.checkpoint(c.startCheckpointId())
                    : WeightsKeys.initial(c.index());
            list.add(new TrialState(c.index(), initialKey));
        }
        this.trials = Collections.unmodifiableList(list);
    }

    @Override
    public StudySettings settings() {
        return settings;
    }

    @Override
    public CandidatePool pool() {
        return pool;
    }

    @Override
    public TrialState trial(int poolIndex) {
        return trials.get(poolIndex);
    }

    @Override
    public List<TrialState> trials() {
        return trials;
    }

    @Override
    public int spentEpochs() {
        return spentEpochs;
    }

    @Override
    public int reservedEpochs() {
        return reservedEpochs;
    }

    @Override
    public int runningCount() {
        return runningBySegment.size();
    }

    @Override
    public Optional<Incumbent> incumbent() {
        return Optional.ofNullable(incumbent);
    }

    @Override
    public double incumbentAtEpoch(int epoch) {
        if (bestAtEpoch == null) {
            double[] best = new double[settings.maxEpochsPerTrial() + 1];
            Arrays.fill(best, Double.NaN);
            for (TrialState t : trials) {
                for (int e = 1; e <= t.epochsTrained(); e++) {
                    double v = t.value(e);
                    if (Double.isFinite(v) && !(v <= best[e])) {
                        best[e] = v;
                    }
                }
            }
            bestAtEpoch = best;
        }
        if (epoch >= 1 && epoch < bestAtEpoch.length && !Double.isNaN(bestAtEpoch[epoch])) {
            return bestAtEpoch[epoch];
        }
        return incumbent == null ? Double.NaN : incumbent.value();
    }

    Segment runningSegment(long segmentId) {
        return runningBySegment.get(segmentId);
    }

    List<Segment> runningSegments() {
        return List.copyOf(runningBySegment.values());
    }

    void startSegment(Segment segment) {
        runningBySegment.put(segment.segmentId(), segment);
        reservedEpochs += segment.epochs();
        trial(segment.poolIndex()).setRunning(segment);
    }

    void endSegment(Segment segment) {
        runningBySegment.remove(segment.segmentId());
        reservedEpochs -= segment.epochs();
        trial(segment.poolIndex()).setRunning(null);
    }

    /** Appends an observed epoch, charges it and updates the incumbent; returns true when it is a new incumbent. */
    boolean addEpoch(TrialState t, double raw, double test, String weightsKey, Long checkpointId) {
        double normalised = settings.direction().normalise(raw);
        t.addEpoch(normalised, raw, test, weightsKey, checkpointId);
        spentEpochs++;
        bestAtEpoch = null;
        int epoch = t.epochsTrained();
        if (Double.isFinite(normalised) && isBetter(normalised, t.poolIndex(), epoch)) {
            incumbent = new Incumbent(t.poolIndex(), t.trialId(), epoch, normalised, raw, test);
            return true;
        }
        return false;
    }

    /** Better than the incumbent; ties go to the lower pool index, then the earlier epoch (order-independent). */
    private boolean isBetter(double value, int poolIndex, int epoch) {
        if (incumbent == null || value > incumbent.value()) {
            return true;
        }
        if (value < incumbent.value()) {
            return false;
        }
        return poolIndex < incumbent.poolIndex()
                || (poolIndex == incumbent.poolIndex() && epoch < incumbent.epoch());
    }
}
