package dev.dl4jfms.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baseline costs read from a benchmark curves.csv for the report's ROI lines. */
class StoreStudyReportsTest {

    @TempDir
    Path dir;

    @Test
    void baselinesNeedTheMeanEpochsOverSeedsAndNeverWhenASeedMisses() throws Exception {
        Path csv = Files.writeString(dir.resolve("curves.csv"), String.join("\n",
                "method,seed,epochs,normalized_regret,incumbent_val,incumbent_test",
                "random,1,0,1,,",
                "random,1,10,0.5,0.70,0.69",
                "random,1,25,0.1,0.81,0.80",      // seed 1 reaches 0.8 at 25 epochs
                "random,2,12,0.4,0.79,0.78",
                "random,2,40,0.0,0.85,0.84",      // seed 2 at 40 epochs
                "hyperband,1,30,0.3,0.75,0.74",
                "hyperband,1,90,0.2,0.78,0.77",   // never reaches 0.8 within its 90 epochs
                "fms-stats,1,5,0.0,0.90,0.89",    // the method itself: not a baseline
                ""));
        List<RoiNumbers.Baseline> baselines = StoreStudyReports.baselines(csv, 0.8, true);
        assertEquals(2, baselines.size(), baselines.toString());
        assertEquals("Random search", baselines.get(0).method());
        assertEquals(OptionalLong.of((25 + 40 + 1) / 2), baselines.get(0).epochsNeeded(), "ceil((25+40)/2) = 33");
        assertEquals(40, baselines.get(0).budget());
        assertEquals("Hyperband", baselines.get(1).method());
        assertEquals(OptionalLong.empty(), baselines.get(1).epochsNeeded());
        assertEquals(90, baselines.get(1).budget());

        // Lower-is-better metric: reaching means <= target.
        List<RoiNumbers.Baseline> minimizing = StoreStudyReports.baselines(csv, 0.75, false);
        assertEquals(OptionalLong.of(30), minimizing.get(1).epochsNeeded());
    }

    @Test
    void aFileThatIsNotCurvesCsvIsNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("summary.csv"), "method,regret\nrandom,0.1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreStudyReports.baselines(bad, 0.8, true));
        assertTrue(e.getMessage().contains("summary.csv") && e.getMessage().contains("header"), e.getMessage());
        Path broken = Files.writeString(dir.resolve("curves.csv"),
                "method,seed,epochs,normalized_regret,incumbent_val,incumbent_test\nrandom,1,ten,0,0.5,0.5\n");
        e = assertThrows(IllegalArgumentException.class, () -> StoreStudyReports.baselines(broken, 0.8, true));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
