package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.SegmentDriver;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudySettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The segments SH, Hyperband and ASHA hand out, with one worker, on flat curves whose value is fixed per position
 * in the policy's seeded order, compared with schedules worked out by hand (η = 3, B_max = 9).
 */
class PolicyScheduleTest {

    private static final long SEED = 5;

    /** value of the candidate at position p of the seeded order. */
    private static final double[] BY_POSITION = {0.5, 0.7, 0.6, 0.9, 0.1, 0.8, 0.3, 0.95, 0.2, 0.55, 0.65, 0.15,
            0.35, 0.45, 0.25, 0.75, 0.05, 0.85, 0.4, 0.58, 0.62, 0.12, 0.33, 0.44};

    private final int[] order = PoolOrder.permutation(BY_POSITION.length, SEED);

    private List<int[]> run(Policy policy, int budget) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < BY_POSITION.length; i++) {
            points.add(new double[]{i / (double) BY_POSITION.length});
        }
        double[] valueOfIndex = new double[BY_POSITION.length];
        for (int p = 0; p < order.length; p++) {
            valueOfIndex[order[p]] = BY_POSITION[p];
        }
        StudySettings settings = StudySettings.builder().budgetEpochs(budget).maxEpochsPerTrial(9).seed(SEED)
                .build();
        Study study = Study.inMemory(settings, CandidatePool.ofUnitVectors(points, List.of()), policy);
        SegmentDriver driver = new SegmentDriver((i, e) -> valueOfIndex[i], 1, 1);
        driver.run(study);
        driver.assertExactAccounting(study);
        List<int[]> segments = new ArrayList<>();
        for (Segment s : driver.handedOut) {
            segments.add(new int[]{position(s.poolIndex()), s.fromEpoch(), s.toEpoch()});
        }
        return segments;
    }

    private int position(int poolIndex) {
        for (int p = 0; p < order.length; p++) {
            if (order[p] == poolIndex) {
                return p;
            }
        }
        throw new AssertionError();
    }

    private static void assertSchedule(int[][] expected, List<int[]> actual) {
        assertEquals(expected.length, actual.size(), "number of segments");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(List.of(expected[i][0], expected[i][1], expected[i][2]),
                    List.of(actual.get(i)[0], actual.get(i)[1], actual.get(i)[2]), "segment " + i);
        }
    }

    @Test
    void successiveHalvingKeepsTheBestThirdAtEachRung() {
        // bracket 0: positions 0..8 to 1 epoch; best 3 by value: P7 .95, P3 .9, P5 .8 -> 3 epochs (handed out best
        // first); best: P7 -> 9.
        // budget 9 + 6 + 6 = 21 ends with the first bracket.
        int[][] expected = {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {6, 0, 1}, {7, 0, 1},
                {8, 0, 1}, {7, 1, 3}, {3, 1, 3}, {5, 1, 3}, {7, 3, 9}};
        assertSchedule(expected, run(new SuccessiveHalvingPolicy(3), 21));
    }

    @Test
    void hyperbandCyclesThroughItsBrackets() {
        // s=2: as above (21 epochs). s=1: positions 9..13 (.55 .65 .15 .35 .45) to 3 epochs, best P10 -> 9 (21).
        // s=0: positions 14..16 to 9 epochs (27). Total 69.
        List<int[]> expected = new ArrayList<>(List.of(new int[][]{{0, 0, 1}, {1, 0, 1}, {2, 0, 1}, {3, 0, 1},
                {4, 0, 1}, {5, 0, 1}, {6, 0, 1}, {7, 0, 1}, {8, 0, 1}, {7, 1, 3}, {3, 1, 3}, {5, 1, 3}, {7, 3, 9},
                {9, 0, 3}, {10, 0, 3}, {11, 0, 3}, {12, 0, 3}, {13, 0, 3}, {10, 3, 9},
                {14, 0, 9}, {15, 0, 9}, {16, 0, 9}}));
        assertSchedule(expected.toArray(new int[0][]), run(new HyperbandPolicy(3), 69));
    }

    @Test
    void ashaPromotesTheTopThirdOfEachRungWithoutWaiting() {
        // Worked by hand: ask 4 promotes P1 (best of .5 .7 .6); ask 6 promotes P3 (.9 tops 4 at rung 0);
        // ask 9: rung 0 has 6 -> top 2 = P3, P5 -> promote P5; ask 10: rung 1 {P1 .7, P3 .9, P5 .8} -> P3 to 9.
        int[][] expected = {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}, {1, 1, 3}, {3, 0, 1}, {3, 1, 3}, {4, 0, 1}, {5, 0, 1},
                {5, 1, 3}, {3, 3, 9}, {6, 0, 1}};
        assertSchedule(expected, run(new AshaPolicy(3), 1 + 1 + 1 + 2 + 1 + 2 + 1 + 1 + 2 + 6 + 1));
    }

    @Test
    void topKTrainsTheBestAfterOneEpochToMax() {
        // screen positions 0..5 (.5 .7 .6 .9 .1 .8), continue the best two: P3 then P5.
        int[][] expected = {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {3, 1, 9}, {5, 1, 9}};
        assertSchedule(expected, run(new TopKAfterOneEpochPolicy(2, 6), 100));
    }

    @Test
    void randomSearchFollowsTheSeededOrder() {
        List<int[]> segments = run(new RandomSearchPolicy(), 27);
        assertSchedule(new int[][]{{0, 0, 9}, {1, 0, 9}, {2, 0, 9}}, segments);
        assertTrue(segments.stream().allMatch(s -> s[2] == 9));
    }

    @Test
    void baselinesAreBuiltByName() {
        StudySettings s = StudySettings.builder().budgetEpochs(100).maxEpochsPerTrial(9).build();
        for (String name : Policies.BASELINE_NAMES) {
            assertEquals(name, Policies.baseline(name, s, 50).name());
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Policies.baseline("tpe", s, 50));
        assertTrue(e.getMessage().contains("tpe") && e.getMessage().contains("hyperband"), e.getMessage());
    }
}
