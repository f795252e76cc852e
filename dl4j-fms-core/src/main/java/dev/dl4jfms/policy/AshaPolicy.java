package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Asynchronous successive halving (Li et al., MLSys 2020): rung levels r_k of {@link HalvingSchedule#rungEpochs};
 * whenever a worker asks, promote a not-yet-promoted candidate that is in the top ⌊n_k/η⌋ of rung k (highest rung
 * first), else start a new candidate (seeded random order) at r_0. Never waits for stragglers.
 */
public final class AshaPolicy implements Policy {

    private final int eta;
    private int[] order;

    /** With reduction factor 3. */
    public AshaPolicy() {
        this(3);
    }

    public AshaPolicy(int eta) {
        if (eta < 2) {
            throw new IllegalArgumentException("reduction factor eta must be >= 2, got " + eta);
        }
        this.eta = eta;
    }

    @Override
    public String name() {
        return "asha";
    }

    @Override
    public Decision decide(StudyView study) {
        int bMax = study.settings().maxEpochsPerTrial();
        if (order == null) {
            order = PoolOrder.permutation(study.pool().size(), study.settings().seed());
        }
        int[] rungs = HalvingSchedule.rungEpochs(bMax, eta);
        // A trial left between rungs (crash, budget) goes on to its next rung first.
        for (int index : order) {
            TrialState t = study.trial(index);
            if (t.epochsTrained() > 0 && t.canContinue(bMax) && rungOf(t.epochsTrained(), rungs) < 0) {
                return Decision.train(index, nextRung(t.epochsTrained(), rungs), "continue to the next rung");
            }
        }
        for (int k = rungs.length - 2; k >= 0; k--) {
            int level = rungs[k];
            List<TrialState> reached = new ArrayList<>();
            for (TrialState t : study.trials()) {
                if (t.epochsTrained() >= level) {
                    reached.add(t);
                }
            }
            reached.sort(Comparator.comparingDouble((TrialState t) -> -BracketPolicy.valueAt(t, level))
                    .thenComparingInt(TrialState::poolIndex));
            int top = reached.size() / eta;
            for (int r = 0; r < top; r++) {
                TrialState t = reached.get(r);
                if (t.epochsTrained() == level && t.canContinue(bMax)
                        && Double.isFinite(BracketPolicy.valueAt(t, level))) {
                    return Decision.train(t.poolIndex(), rungs[k + 1], "promote from rung " + k + " (rank "
                            + (r + 1) + " of " + reached.size() + ") to " + rungs[k + 1] + " epochs");
                }
            }
        }
        for (int index : order) {
            TrialState t = study.trial(index);
            if (t.epochsTrained() == 0 && t.canContinue(bMax)) {
                return Decision.train(index, rungs[0], "new candidate at rung 0");
            }
        }
        return study.runningCount() > 0 ? Decision.waitForResults() : Decision.done();
    }

    private static int rungOf(int epochs, int[] rungs) {
        for (int k = 0; k < rungs.length; k++) {
            if (rungs[k] == epochs) {
                return k;
            }
        }
        return -1;
    }

    private static int nextRung(int epochs, int[] rungs) {
        for (int r : rungs) {
            if (r > epochs) {
                return r;
            }
        }
        return rungs[rungs.length - 1];
    }
}
