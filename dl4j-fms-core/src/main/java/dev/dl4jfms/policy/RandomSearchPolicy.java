package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;

/**
 * Random search: candidates in a seeded random order, each trained to B_max in one segment. A trial left part-way
 * (crash, budget) is continued first.
 */
public final class RandomSearchPolicy implements Policy {

    private int[] order;

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Decision decide(StudyView study) {
        int bMax = study.settings().maxEpochsPerTrial();
        if (order == null) {
            order = PoolOrder.permutation(study.pool().size(), study.settings().seed());
        }
        for (int index : order) {
            TrialState t = study.trial(index);
            if (t.canContinue(bMax) && t.epochsTrained() > 0) {
                return Decision.train(index, bMax, "continue to B_max");
            }
        }
        for (int index : order) {
            if (study.trial(index).canContinue(bMax)) {
                return Decision.train(index, bMax, "random pick, trained to B_max");
            }
        }
        return Decision.done();
    }
}
