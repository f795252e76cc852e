package dev.dl4jfms.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineCostTest {

    private static MethodRun run(long seed, double... valuesPerEpoch) {
        List<TrajectoryPoint> t = new java.util.ArrayList<>();
        double best = Double.NaN;
        for (int i = 0; i < valuesPerEpoch.length; i++) {
            best = Double.isNaN(best) ? valuesPerEpoch[i] : Math.max(best, valuesPerEpoch[i]);
            t.add(new TrajectoryPoint(i + 1, best, best));
        }
        return MethodRun.of("random", seed, t);
    }

    @Test
    void firstEpochReachingTarget() {
        MethodRun r = run(0, 0.5, 0.7, 0.6, 0.8);
        assertEquals(2, BaselineCost.epochsToReach(r, 0.7, true).getAsLong());
        assertEquals(4, BaselineCost.epochsToReach(r, 0.75, true).getAsLong());
        assertTrue(BaselineCost.epochsToReach(r, 0.81, true).isEmpty());
        MethodRun loss = MethodRun.of("random", 0, List.of(new TrajectoryPoint(3, 1.2, 1.2), new TrajectoryPoint(5, 0.4, 0.4)));
        assertEquals(5, BaselineCost.epochsToReach(loss, 0.5, false).getAsLong());
    }

    @Test
    void meanOverSeedsOnlyWhenAllReach() {
        assertEquals(3, BaselineCost.meanEpochsToReach(List.of(run(0, 0.9), run(1, 0.1, 0.2, 0.3, 0.95)), 0.9, true)
                .getAsLong()); // (1 + 4) / 2 = 2.5 -> 3
        assertTrue(BaselineCost.meanEpochsToReach(List.of(run(0, 0.9), run(1, 0.5)), 0.9, true).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> BaselineCost.meanEpochsToReach(List.of(), 0.9, true));
    }
}
