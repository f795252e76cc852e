package dev.dl4jfms.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchMetricsTest {

    /** Accuracy hub: best 0.9, worst 0.1, so regret = (0.9 - v) / 0.8. */
    private static final HubRange ACC = new HubRange(0.9, 0.1, true);

    private static TrajectoryPoint p(long e, double v) {
        return new TrajectoryPoint(e, v, v - 0.01);
    }

    @Test
    void regretNormalisationBothDirections() {
        assertEquals(0.5, ACC.normalizedRegret(0.5), 1e-12);
        assertEquals(0.0, ACC.normalizedRegret(0.9), 1e-12);
        assertEquals(1.0, ACC.normalizedRegret(Double.NaN));
        HubRange loss = HubRange.of(new double[] {2.0, 0.5, Double.NaN, 1.0, Double.POSITIVE_INFINITY}, false);
        assertEquals(0.5, loss.best());
        assertEquals(2.0, loss.worst());
        assertEquals((0.5 - 1.0) / (0.5 - 2.0), loss.normalizedRegret(1.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ACC.normalizedRegret(0.95));
        assertThrows(IllegalArgumentException.class, () -> new HubRange(0.1, 0.9, true));
    }

    @Test
    void stepInterpolationAndEpochsToTarget() {
        MethodRun run = MethodRun.of("m", 0, List.of(p(2, 0.5), p(5, 0.82), p(9, 0.9)));
        BenchMetrics m = BenchMetrics.builder(ACC, 10).run(run).build();
        assertEquals(1.0, m.regretAt(run, 1.99), 1e-12); // no incumbent yet
        assertEquals(0.5, m.regretAt(run, 2), 1e-12);
        assertEquals(0.5, m.regretAt(run, 4.99), 1e-12);
        assertEquals(0.1, m.regretAt(run, 5), 1e-12);
        assertEquals(0.1, m.regretAt(run, 8), 1e-12);
        assertEquals(0.0, m.regretAt(run, 10), 1e-12);
        assertEquals(9, m.epochsToRegret(run, 0.01).getAsLong());
        assertEquals(5, m.epochsToRegret(run, 0.1).getAsLong());
        assertFalse(m.epochsToRegret(MethodRun.of("x", 0, List.of(p(3, 0.5))), 0.05).isPresent());
    }

    @Test
    void curveRowsKeepLastStatePerEpochCount() {
        MethodRun run = MethodRun.of("m", 3, List.of(p(1, 0.3), p(1, 0.4), p(2, 0.4), p(4, 0.6)));
        List<CurveRow> rows = BenchMetrics.builder(ACC, 10).run(run).build().curveRows();
        assertEquals(3, rows.size());
        assertEquals(1, rows.get(0).epochs());
        assertEquals(0.4, rows.get(0).incumbentVal());
        assertEquals((0.9 - 0.4) / 0.8, rows.get(0).normalizedRegret(), 1e-12);
        assertEquals(0.39, rows.get(0).incumbentTest(), 1e-12);
        assertEquals(List.of(1L, 2L, 4L), rows.stream().map(CurveRow::epochs).toList());
        assertThrows(IllegalArgumentException.class, () -> MethodRun.of("m", 0, List.of(p(3, 0.3), p(2, 0.4))));
    }

    @Test
    void numbersAreCompactAndParseBack() {
        assertEquals("0.1235", BenchReportWriter.num(0.123456));
        assertEquals("1.388e-17", BenchReportWriter.num(1.3877787807814457e-17));
        assertEquals("-2e-5", BenchReportWriter.num(-0.00002));
        assertEquals("17.5", BenchReportWriter.num(17.5));
        assertEquals("", BenchReportWriter.num(Double.NaN));
        assertEquals(1.388e-17, Double.parseDouble(BenchReportWriter.num(1.3877787807814457e-17)), 1e-30);
    }

    @Test
    void averageRanksShareTies() {
        assertArrayEquals(new double[] {2, 1, 3}, BenchMetrics.averageRanks(new double[] {0.5, 0.1, 0.9}));
        assertArrayEquals(new double[] {1.5, 1.5, 3}, BenchMetrics.averageRanks(new double[] {0.0, 0.0, 0.2}));
        assertArrayEquals(new double[] {2, 2, 2}, BenchMetrics.averageRanks(new double[] {1, 1, 1}));
        assertArrayEquals(new double[] {4, 2, 2, 2}, BenchMetrics.averageRanks(new double[] {7, 3, 3, 3}));
    }

    @Test
    void meanRankOverGridAndSeeds() {
        // Seed 0: A better than B at 2, tie at 4 (both optimum). Seed 1: B better at both points.
        BenchMetrics m = BenchMetrics.builder(ACC, 4).rankGrid(2, 4)
                .run(MethodRun.of("A", 0, List.of(p(1, 0.8), p(3, 0.9))))
                .run(MethodRun.of("B", 0, List.of(p(1, 0.5), p(4, 0.9))))
                .run(MethodRun.of("A", 1, List.of(p(1, 0.2))))
                .run(MethodRun.of("B", 1, List.of(p(1, 0.3))))
                .build();
        Map<Long, Map<String, Double>> perSeed = m.meanRankPerSeed();
        assertEquals((1 + 1.5) / 2, perSeed.get(0L).get("A"), 1e-12);
        assertEquals((2 + 1.5) / 2, perSeed.get(0L).get("B"), 1e-12);
        assertEquals(2.0, perSeed.get(1L).get("A"), 1e-12);
        MethodSummary a = m.summary().get(0);
        assertEquals("A", a.method());
        assertEquals((1.25 + 2.0) / 2, a.meanRank().mean(), 1e-12);
        // standard error of {1.25, 2.0}: sd = 0.53033, / sqrt 2 = 0.375
        assertEquals(0.375, a.meanRank().standardError(), 1e-12);
    }

    @Test
    void summaryAggregatesOverSeedsAndLeavesUnreachedTargetsEmpty(@TempDir Path dir) throws Exception {
        double[] truth = {0.9, 0.5, 0.7, 0.2};
        BenchMetrics m = BenchMetrics.builder(ACC, 20)
                .run(new MethodRun("fms", 0, List.of(p(1, 0.5), p(4, 0.9)),
                        List.of(new ForecastSnapshot(0.25, new double[] {0.8, 0.4, 0.7, 0.1}, truth),
                                new ForecastSnapshot(0.5, new double[] {0.8, 0.7, 0.4, 0.1}, truth)),
                        new double[] {0.2, 0.4}))
                .run(new MethodRun("fms", 1, List.of(p(2, 0.7), p(10, 0.9)),
                        List.of(new ForecastSnapshot(0.25, new double[] {0.9, 0.5, 0.7, 0.2}, truth)),
                        new double[] {0.6}, 7))
                .run(MethodRun.of("random", 0, List.of(p(1, 0.1), p(15, 0.9))))
                .run(MethodRun.of("random", 1, List.of(p(1, 0.3), p(20, 0.86))))
                .build();
        List<MethodSummary> s = m.summary();
        MethodSummary fms = s.get(0);
        MethodSummary random = s.get(1);
        // regret at 10% = 2 epochs: seed0 0.5 -> 0.5, seed1 0.7 -> 0.25
        assertEquals(0.375, fms.regretAtFraction().get(0).mean(), 1e-12);
        assertEquals(0.0, fms.regretAtFraction().get(3).mean(), 1e-12);
        assertEquals(7.0, fms.epochsToTargetForCsv(1), 1e-12); // (4 + 10) / 2
        // random seed 1 ends at regret 0.05 exactly: reaches 0.05, not 0.01
        assertEquals(17.5, random.epochsToTargetForCsv(0), 1e-9);
        assertTrue(Double.isNaN(random.epochsToTargetForCsv(1)));
        assertEquals(1, random.seedsReached().get(1));
        // tau: snapshot 0.25 of seed0 is perfectly ordered (1.0), seed1 also 1.0; 0.5 only seed0: 5 C 1 D (only configs 1,2 swap) -> 4/6
        assertEquals(1.0, fms.kendallTau().get(0).mean(), 1e-12);
        assertEquals(4.0 / 6, fms.kendallTau().get(1).mean(), 1e-12);
        assertTrue(random.kendallTau().get(0).isEmpty());
        assertEquals((0.3 + 0.6) / 2, fms.surrogateSeconds().mean(), 1e-12);
        assertTrue(random.surrogateSeconds().isEmpty());

        BenchReportWriter.write(m, dir, "tiny hub");
        List<String> summaryCsv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals("method,regret_at_10pct,regret_at_25pct,regret_at_50pct,regret_at_100pct,epochs_to_0.05,"
                + "epochs_to_0.01,mean_rank,kendall_tau_25pct,kendall_tau_50pct", summaryCsv.get(0));
        assertEquals(3, summaryCsv.size());
        String[] randomCells = summaryCsv.get(2).split(",", -1);
        assertEquals(10, randomCells.length);
        assertEquals("random", randomCells[0]);
        assertEquals("17.5", randomCells[5]);
        assertEquals("", randomCells[6]);
        assertEquals("", randomCells[8]);
        assertEquals("", randomCells[9]);
        List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        assertEquals("method,seed,epochs,normalized_regret,incumbent_val,incumbent_test", curves.get(0));
        assertEquals("fms,0,1,0.5,0.5,0.49", curves.get(1));
        assertEquals(1 + 8, curves.size());
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| random | 2 |"), md);
        assertTrue(md.contains("(1/2 seeds)"), md);
        assertTrue(md.contains("Surrogate cost per optimizer step"), md);
        assertTrue(md.contains("| fms | 0.45 ± 0.15 | 1/2 (7) |"), md); // seed 1 fell back after 7 epochs
        // fms regret at 10%: mean 0.375, se = sd(0.5, 0.25)/sqrt2 = 0.125 (2 digits; round-off decides 0.12 or 0.13)
        assertTrue(md.matches("(?s).*\\| 0\\.375 ± 0\\.1[23] \\|.*"), md);
        BufferedImage png = ImageIO.read(dir.resolve("regret.png").toFile());
        assertEquals(960, png.getWidth());
    }
}
