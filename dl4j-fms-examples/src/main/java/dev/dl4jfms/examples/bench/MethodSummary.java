package dev.dl4jfms.examples.bench;

import java.util.List;

/**
 * Per-method aggregate over seeds, one line of {@code summary.csv}.
 *
 * @param regretAtFraction normalized regret at {@link BenchMetrics#SUMMARY_FRACTIONS} of the budget
 * @param epochsToTarget   epochs to reach each of {@link BenchMetrics#REGRET_TARGETS}; statistics over the seeds that
 *                         reached the target
 * @param seedsReached     how many seeds reached each target
 * @param meanRank         per-seed mean rank (1 = best) over the rank grid, aggregated over seeds
 * @param kendallTau       τ-b of the forecast at {@link BenchMetrics#TAU_FRACTIONS} of the budget; empty stats for
 *                         methods without a forecaster
 * @param surrogateSeconds mean seconds per optimizer step of each seed, aggregated; empty for model-free methods
 */
public record MethodSummary(String method, int seeds, List<SampleStats> regretAtFraction,
                            List<SampleStats> epochsToTarget, List<Integer> seedsReached, SampleStats meanRank,
                            List<SampleStats> kendallTau, SampleStats surrogateSeconds) {

    /**
     * Epochs to target {@code i} as written in {@code summary.csv}: the mean over seeds only when every seed reached
     * it, otherwise NaN (written empty) — a mean over the lucky seeds alone would flatter a method.
     */
    public double epochsToTargetForCsv(int i) {
        return seedsReached.get(i) == seeds ? epochsToTarget.get(i).mean() : Double.NaN;
    }
}
