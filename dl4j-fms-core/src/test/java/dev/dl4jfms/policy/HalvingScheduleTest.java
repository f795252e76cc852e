package dev.dl4jfms.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dl4jfms.policy.HalvingSchedule.Rung;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bracket math against schedules computed by hand from Li et al. (2018), η = 3. */
class HalvingScheduleTest {

    @Test
    void hyperbandBracketsForRequal27() {
        // s_max = 3; n = ceil(4 * 3^s / (s+1)): 27, 12, 6, 4; r = 27 / 3^s: 1, 3, 9, 27
        assertEquals(3, HalvingSchedule.maxBracket(27, 3));
        assertEquals(List.of(new Rung(27, 1), new Rung(9, 3), new Rung(3, 9), new Rung(1, 27)),
                HalvingSchedule.rungs(3, HalvingSchedule.bracketSize(3, 27, 3), 27, 3));
        assertEquals(List.of(new Rung(12, 3), new Rung(4, 9), new Rung(1, 27)),
                HalvingSchedule.rungs(2, HalvingSchedule.bracketSize(2, 27, 3), 27, 3));
        assertEquals(List.of(new Rung(6, 9), new Rung(2, 27)),
                HalvingSchedule.rungs(1, HalvingSchedule.bracketSize(1, 27, 3), 27, 3));
        assertEquals(List.of(new Rung(4, 27)), HalvingSchedule.rungs(0, HalvingSchedule.bracketSize(0, 27, 3), 27, 3));
    }

    @Test
    void hyperbandBracketsForRequal9() {
        assertEquals(2, HalvingSchedule.maxBracket(9, 3));
        assertEquals(9, HalvingSchedule.bracketSize(2, 9, 3));
        assertEquals(5, HalvingSchedule.bracketSize(1, 9, 3)); // ceil(3 * 3 / 2)
        assertEquals(3, HalvingSchedule.bracketSize(0, 9, 3));
        assertEquals(List.of(new Rung(9, 1), new Rung(3, 3), new Rung(1, 9)), HalvingSchedule.rungs(2, 9, 9, 3));
        assertEquals(List.of(new Rung(5, 3), new Rung(1, 9)), HalvingSchedule.rungs(1, 5, 9, 3));
    }

    @Test
    void nonPowerMaxEpochsRoundToWholeEpochsAndEndAtMax() {
        // R = 20: s_max = 2 (9 <= 20 < 27); rungs of bracket 2 at 20/9 = 2.2 -> 2, 20/3 = 6.7 -> 7, 20
        assertEquals(2, HalvingSchedule.maxBracket(20, 3));
        assertEquals(List.of(new Rung(9, 2), new Rung(3, 7), new Rung(1, 20)), HalvingSchedule.rungs(2, 9, 20, 3));
        assertArrayEquals(new int[]{2, 7, 20}, HalvingSchedule.rungEpochs(20, 3));
        assertArrayEquals(new int[]{1, 3, 9, 27, 81}, HalvingSchedule.rungEpochs(81, 3));
        assertArrayEquals(new int[]{1}, HalvingSchedule.rungEpochs(1, 3));
        assertEquals(0, HalvingSchedule.maxBracket(2, 3));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HalvingSchedule.maxBracket(0, 3));
        assertThrows(IllegalArgumentException.class, () -> HalvingSchedule.maxBracket(9, 1));
        assertThrows(IllegalArgumentException.class, () -> HalvingSchedule.bracketSize(3, 9, 3));
        assertThrows(IllegalArgumentException.class, () -> HalvingSchedule.rungs(1, 0, 9, 3));
    }
}
