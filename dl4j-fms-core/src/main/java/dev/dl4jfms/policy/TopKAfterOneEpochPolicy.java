package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "Is one epoch all you need?" (Egele et al. 2023): train {@code screened} random candidates for one epoch, then
 * train the {@code k} best (by their epoch-1 validation value; ties to the lower pool index) to B_max.
 */
public final class TopKAfterOneEpochPolicy implements Policy {

    private final int k;
    private final int screened;
    private int[] order;

    /**
     * @param k        how many screened candidates to continue to B_max (>= 1)
     * @param screened how many candidates to train for one epoch (>= k); capped at the pool size
     */
    public TopKAfterOneEpochPolicy(int k, int screened) {
        if (k < 1 || screened < k) {
            throw new IllegalArgumentException("need 1 <= k <= screened, got k=" + k + ", screened=" + screened);
        }
        this.k = k;
        this.screened = screened;
    }

    /** Screens as many candidates as the budget allows after reserving {@code k} full trainings. */
    public static TopKAfterOneEpochPolicy forBudget(StudySettings settings, int poolSize, int k) {
        int screen = settings.budgetEpochs() - k * (settings.maxEpochsPerTrial() - 1);
        return new TopKAfterOneEpochPolicy(k, Math.max(k, Math.min(poolSize, screen)));
    }

    @Override
    public String name() {
        return "topk1";
    }

    @Override
    public Decision decide(StudyView study) {
        int bMax = study.settings().maxEpochsPerTrial();
        if (order == null) {
            order = PoolOrder.permutation(study.pool().size(), study.settings().seed());
        }
        int n = Math.min(screened, order.length);
        boolean screening = false;
        for (int i = 0; i < n; i++) {
            TrialState t = study.trial(order[i]);
            if (t.epochsTrained() == 0 && t.canContinue(bMax)) {
                return Decision.train(order[i], 1, "screening epoch");
            }
            screening |= t.isRunning() && t.runningSegment().fromEpoch() == 0;
        }
        if (screening) {
            return Decision.waitForResults();
        }
        List<TrialState> ranked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TrialState t = study.trial(order[i]);
            if (t.epochsTrained() >= 1 && Double.isFinite(t.value(1))) {
                ranked.add(t);
            }
        }
        ranked.sort(Comparator.comparingDouble((TrialState t) -> -t.value(1)).thenComparingInt(TrialState::poolIndex));
        for (int r = 0; r < Math.min(k, ranked.size()); r++) {
            TrialState t = ranked.get(r);
            if (t.canContinue(bMax)) {
                return Decision.train(t.poolIndex(), bMax, "rank " + (r + 1) + " after one epoch");
            }
        }
        return Decision.done();
    }
}
