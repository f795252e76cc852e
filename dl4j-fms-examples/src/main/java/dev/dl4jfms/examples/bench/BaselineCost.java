package dev.dl4jfms.examples.bench;

import java.util.List;
import java.util.OptionalLong;

/**
 * Epochs a baseline method (random search, Hyperband) needed to reach a given validation value, from its replayed
 * trajectories: the figure behind the report's "random search needed N epochs for the same result" line.
 */
public final class BaselineCost {

    private BaselineCost() {
    }

    /**
     * Epochs spent when {@code run} first had an incumbent at least as good as {@code target}; empty if never.
     */
    public static OptionalLong epochsToReach(MethodRun run, double target, boolean maximize) {
        for (TrajectoryPoint p : run.trajectory()) {
            double v = p.incumbentVal();
            if (!Double.isNaN(v) && (maximize ? v >= target : v <= target)) {
                return OptionalLong.of(p.epochs());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Mean over seeds (rounded up) of {@link #epochsToReach}, or empty when any seed never reached the target within
     * its budget (a mean over the lucky seeds would understate the baseline's cost; say "did not reach it" instead).
     *
     * @throws IllegalArgumentException when {@code runs} is empty
     */
    public static OptionalLong meanEpochsToReach(List<MethodRun> runs, double target, boolean maximize) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no baseline runs given");
        }
        long sum = 0;
        for (MethodRun r : runs) {
            OptionalLong e = epochsToReach(r, target, maximize);
            if (e.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += e.getAsLong();
        }
        return OptionalLong.of((sum + runs.size() - 1) / runs.size());
    }
}
