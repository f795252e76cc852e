package dev.dl4jfms.arbiter;

import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;

/**
 * Ends an Arbiter run driven by {@link FmsCandidateGenerator}: when the study is finished (epoch budget spent, or
 * nothing runnable) and nothing is running. Arbiter itself never ends a run because a generator ran dry, and a
 * run ended while segments still train would lose their results, so this condition only fires when none is
 * outstanding. An optional {@code maxEpochs} ends the run earlier, once that many epochs were charged.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class FmsTerminationCondition implements TerminationCondition {

    private int maxEpochs;

    /** Ends the run when the study is finished. */
    public FmsTerminationCondition() {
        this(0);
    }

    /**
     * @param maxEpochs also end the run once this many epochs were charged and nothing runs; 0 for the study's
     *                  own budget only
     */
    public FmsTerminationCondition(int maxEpochs) {
        if (maxEpochs < 0) {
            throw new IllegalArgumentException("maxEpochs must be >= 0, got " + maxEpochs);
        }
        this.maxEpochs = maxEpochs;
    }

    @Override
    public void initialize(IOptimizationRunner runner) {
        generator(runner);
    }

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        FmsCandidateGenerator g = generator(runner);
        if (g.isFinished()) {
            return true;
        }
        return maxEpochs > 0 && g.spentEpochs() >= maxEpochs && g.runningSegments() == 0;
    }

    private static FmsCandidateGenerator generator(IOptimizationRunner runner) {
        if (!(runner.getConfiguration().getCandidateGenerator() instanceof FmsCandidateGenerator g)) {
            throw new IllegalStateException("FmsTerminationCondition needs an FmsCandidateGenerator, got "
                    + runner.getConfiguration().getCandidateGenerator());
        }
        return g;
    }

    public int getMaxEpochs() {
        return maxEpochs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FmsTerminationCondition c && c.maxEpochs == maxEpochs;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(maxEpochs);
    }

    @Override
    public String toString() {
        return "FmsTerminationCondition(" + (maxEpochs > 0 ? "maxEpochs=" + maxEpochs : "study finished") + ")";
    }
}
