package dev.dl4jfms.study;

import dev.dl4jfms.store.TrialStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Runtime state of one pool candidate inside a {@link Study}: its learning curve (normalised so that higher is
 * better), weights keys, status and termination reason. Policies read it; only the study changes it.
 */
public final class TrialState {

    private final int poolIndex;
    private final String initialWeightsKey;
    private Long trialId;
    private TrialStatus status = TrialStatus.PENDING;
    private TerminationReason terminationReason;
    private String statusReason;
    private Segment running;
    private final List<Double> values = new ArrayList<>();
    private final List<Double> rawValues = new ArrayList<>();
    private final List<Double> testValues = new ArrayList<>();
    private final List<String> weightsKeys = new ArrayList<>();
    private final List<Long> checkpointIds = new ArrayList<>();

    TrialState(int poolIndex, String initialWeightsKey) {
        this.poolIndex = poolIndex;
        this.initialWeightsKey = initialWeightsKey;
    }

    public int poolIndex() {
        return poolIndex;
    }

    /** The store's trial id, or null while the candidate was never handed out. */
    public Long trialId() {
        return trialId;
    }

    public TrialStatus status() {
        return status;
    }

    /** Why the trial ended for good, or null while it may continue. */
    public TerminationReason terminationReason() {
        return terminationReason;
    }

    /** The human-readable reason recorded with the last status change, or null. */
    public String statusReason() {
        return statusReason;
    }

    /** b_i: epochs trained and observed. */
    public int epochsTrained() {
        return values.size();
    }

    /** Normalised (higher is better) validation value at 1-based {@code epoch}; NaN when diverged. */
    public double value(int epoch) {
        return values.get(epoch - 1);
    }

    /** The raw validation value at {@code epoch} as the executor reported it. */
    public double rawValue(int epoch) {
        return rawValues.get(epoch - 1);
    }

    /** The raw test value at {@code epoch}, NaN when not measured. */
    public double testValue(int epoch) {
        return testValues.get(epoch - 1);
    }

    /** The normalised learning curve y_1..y_b. */
    public double[] curve() {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The curve prefix y_1..y_{epoch-1}: what was known before {@code epoch}. */
    public double[] curvePrefix(int epoch) {
        return values.subList(0, epoch - 1).stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Key of the weights that existed before {@code epoch} (1-based): the initial or pretrained weights for epoch 1,
     * else those after epoch {@code epoch - 1}; null when unknown. {@code epoch = epochsTrained() + 1} gives the
     * latest weights.
     */
    public String weightsKeyBefore(int epoch) {
        return epoch == 1 ? initialWeightsKey : weightsKeys.get(epoch - 2);
    }

    /** The store checkpoint recorded for {@code epoch}, or null. */
    public Long checkpointId(int epoch) {
        return checkpointIds.get(epoch - 1);
    }

    /** The best finite normalised value of the curve, or NaN. */
    public double bestValue() {
        double best = Double.NaN;
        for (double v : values) {
            if (Double.isFinite(v) && !(v <= best)) {
                best = v;
            }
        }
        return best;
    }

    /** True when a segment of this trial is outstanding. */
    public boolean isRunning() {
        return running != null;
    }

    /** The outstanding segment, or null. */
    public Segment runningSegment() {
        return running;
    }

    /** True for FINISHED, STOPPED, DIVERGED and FAILED. */
    public boolean isTerminal() {
        return status == TrialStatus.FINISHED || status == TrialStatus.STOPPED || status == TrialStatus.DIVERGED
                || status == TrialStatus.FAILED;
    }

    /** True when the trial may be handed out now: not terminal, not running, below {@code maxEpochs}. */
    public boolean canContinue(int maxEpochs) {
        return !isTerminal() && running == null && epochsTrained() < maxEpochs;
    }

    // ---- mutation, study only -------------------------------------------------------------------------------

    void setTrialId(long id) {
        this.trialId = id;
    }

    void setStatus(TrialStatus status, TerminationReason reason, String statusReason) {
        this.status = status;
        this.terminationReason = reason;
        this.statusReason = statusReason;
    }

    void setRunning(Segment segment) {
        this.running = segment;
    }

    void addEpoch(double normalised, double raw, double test, String weightsKey, Long checkpointId) {
        values.add(normalised);
        rawValues.add(raw);
        testValues.add(test);
        weightsKeys.add(weightsKey);
        checkpointIds.add(checkpointId);
    }

    @Override
    public String toString() {
        return "Trial[pool " + poolIndex + ", id " + trialId + ", " + status + ", " + epochsTrained() + " epochs"
                + (statusReason == null ? "" : ", " + statusReason) + "]";
    }
}
