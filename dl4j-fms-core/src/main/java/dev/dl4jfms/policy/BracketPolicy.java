package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Synchronous successive-halving brackets run one after another over fresh candidates taken in a seeded random
 * order. Stateless: bracket membership follows from the order, promotions from the observed values, so a resumed
 * study continues the same schedule. A bracket's rung is promoted only when all its members reached it (or ended);
 * members that diverged or were stopped rank last. Workers may idle while a rung waits; {@link AshaPolicy} is the
 * asynchronous alternative.
 */
abstract class BracketPolicy implements Policy {

    protected final int eta;
    private int[] order;

    BracketPolicy(int eta) {
        if (eta < 2) {
            throw new IllegalArgumentException("reduction factor eta must be >= 2, got " + eta);
        }
        this.eta = eta;
    }

    /** The bracket index s of the {@code j}-th bracket of the study (0-based). */
    abstract int bracketOf(int j, int sMax);

    @Override
    public Decision decide(StudyView study) {
        int bMax = study.settings().maxEpochsPerTrial();
        int poolSize = study.pool().size();
        if (order == null) {
            order = PoolOrder.permutation(poolSize, study.settings().seed());
        }
        int sMax = HalvingSchedule.maxBracket(bMax, eta);
        int offset = 0;
        for (int j = 0; offset < poolSize; j++) {
            int s = bracketOf(j, sMax);
            int n = Math.min(HalvingSchedule.bracketSize(s, bMax, eta), poolSize - offset);
            List<TrialState> members = new ArrayList<>(n);
            for (int m = 0; m < n; m++) {
                members.add(study.trial(order[offset + m]));
            }
            Decision d = step(members, HalvingSchedule.rungs(s, n, bMax, eta), bMax, j, s);
            if (d != null) {
                return d;
            }
            offset += n;
        }
        return Decision.done();
    }

    /** The next action inside one bracket, or null when the bracket is complete. */
    private Decision step(List<TrialState> members, List<HalvingSchedule.Rung> rungs, int bMax, int j, int s) {
        List<TrialState> promoted = members;
        for (int i = 0; i < rungs.size(); i++) {
            HalvingSchedule.Rung rung = rungs.get(i);
            if (i > 0) {
                promoted = best(promoted, rungs.get(i - 1).epochs(), rung.configs());
            }
            boolean pending = false;
            for (TrialState t : promoted) {
                if (t.epochsTrained() >= rung.epochs() || t.isTerminal()) {
                    continue;
                }
                if (t.isRunning()) {
                    pending = true;
                } else if (t.canContinue(bMax)) {
                    return Decision.train(t.poolIndex(), rung.epochs(),
                            "bracket " + j + " (s=" + s + ") rung " + i + ": " + rung.configs() + " configs to "
                                    + rung.epochs() + " epochs");
                }
            }
            if (pending) {
                return Decision.waitForResults();
            }
        }
        return null;
    }

    /** The {@code keep} best of {@code rung} by their value at {@code epoch}; missing/NaN values rank last. */
    private static List<TrialState> best(List<TrialState> rung, int epoch, int keep) {
        List<TrialState> sorted = new ArrayList<>(rung);
        sorted.sort(Comparator.comparingDouble((TrialState t) -> -valueAt(t, epoch))
                .thenComparingInt(TrialState::poolIndex));
        return sorted.subList(0, Math.min(keep, sorted.size()));
    }

    static double valueAt(TrialState t, int epoch) {
        if (t.epochsTrained() < epoch) {
            return Double.NEGATIVE_INFINITY;
        }
        double v = t.value(epoch);
        return Double.isFinite(v) ? v : Double.NEGATIVE_INFINITY;
    }
}
