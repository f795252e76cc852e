package dev.dl4jfms.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: a synthetic hub CSV written by {@link HubCsvWriter}, replayed by real Optuna in a subprocess. */
class OptunaRunnerTest {

    private static final int CONFIGS = 40;
    private static final int MAX_EPOCHS = 9;

    /** Synthetic hub: saturating curves whose final accuracy depends on log lr and activation. */
    private static HubTable writeHub(Path file) throws Exception {
        Random rnd = new Random(11);
        try (HubCsvWriter w = new HubCsvWriter(file, List.of("lr", "activation", "constant"))) {
            for (int c = 0; c < CONFIGS; c++) {
                double lr = Math.pow(10, -4 + 3 * rnd.nextDouble());
                String act = rnd.nextBoolean() ? "relu" : "tanh";
                double fin = 0.92 - 0.12 * Math.abs(Math.log10(lr) + 2.5) - ("tanh".equals(act) ? 0.04 : 0);
                int epochs = c == 5 ? 3 : MAX_EPOCHS; // one short (diverged) config
                for (int e = 1; e <= epochs; e++) {
                    double v = c == 5 && e == 3 ? Double.NaN : fin * (1 - Math.exp(-e / 2.5));
                    w.write(new HubCsv.Row(c, List.of(Double.toString(lr), act, "x"), e, v, v - 0.02 * rnd.nextDouble(),
                            1 - v, 0.4));
                }
            }
        }
        return HubCsv.read(file);
    }

    @Test
    void replaysTpeWithHyperbandOnSyntheticHub(@TempDir Path dir) throws Exception {
        assumeTrue(OptunaRunner.optunaAvailable(OptunaRunner.DEFAULT_PYTHON),
                "/usr/bin/python3 cannot import optuna (apt-get install -y python3-optuna); skipping the Optuna peer test");
        Path hub = dir.resolve("hub.csv");
        HubTable table = writeHub(hub);
        long budget = 5L * MAX_EPOCHS;
        OptunaRunner runner = OptunaRunner.builder().build();
        List<MethodRun> runs = runner.run(hub, List.of(0L, 1L), budget, true, dir.resolve("a"));
        assertEquals(2, runs.size());
        for (MethodRun run : runs) {
            assertEquals(OptunaRunner.METHOD, run.method());
            List<TrajectoryPoint> t = run.trajectory();
            assertEquals(budget, t.size(), "one row per charged epoch");
            double prev = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < t.size(); i++) {
                TrajectoryPoint p = t.get(i);
                assertEquals(i + 1, p.epochs());
                assertTrue(p.incumbentVal() >= prev, "incumbent never gets worse");
                prev = p.incumbentVal();
                // The incumbent is a real hub epoch, and its test value is from that same epoch.
                assertTrue(table.allRows().stream().anyMatch(r -> r.valMetric() == p.incumbentVal()
                        && r.testMetric() == p.incumbentTest()), "incumbent " + p + " not in hub");
            }
        }
        // Hyperband pruned some trials: more trials than the budget allows full-length ones.
        Matcher m = Pattern.compile("seed 0: (\\d+) trials").matcher(Files.readString(dir.resolve("a/optuna.log")));
        assertTrue(m.find());
        assertTrue(Integer.parseInt(m.group(1)) > budget / MAX_EPOCHS + 1, "trials: " + m.group(1));

        // Fixed study name and sampler seed: the same seed replays identically; another seed differs.
        List<MethodRun> again = runner.run(hub, List.of(0L, 2L), budget, true, dir.resolve("b"));
        assertEquals(runs.get(0).trajectory(), again.get(0).trajectory());
        assertNotEquals(runs.get(0).trajectory(), again.get(1).trajectory());

        // The trajectories feed the benchmark metrics.
        BenchMetrics metrics = BenchMetrics.builder(table.range(true), budget).runs(runs).build();
        double finalRegret = metrics.regretAt(runs.get(0), budget);
        assertTrue(finalRegret >= 0 && finalRegret < 0.5, "TPE should get reasonably close: " + finalRegret);
    }

    @Test
    void missingInterpreterSaysHowToInstall(@TempDir Path dir) throws Exception {
        Path hub = dir.resolve("hub.csv");
        writeHub(hub);
        OptunaRunner runner = OptunaRunner.builder().python(dir.resolve("no-such-python")).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runner.run(hub, List.of(0L), 10, true, dir.resolve("w")));
        assertTrue(e.getMessage().contains("apt-get install -y python3-optuna"), e.getMessage());
    }

    @Test
    void scriptRejectsBadHubWithClearMessage(@TempDir Path dir) throws Exception {
        assumeTrue(OptunaRunner.optunaAvailable(OptunaRunner.DEFAULT_PYTHON),
                "/usr/bin/python3 cannot import optuna (apt-get install -y python3-optuna)");
        Path hub = dir.resolve("bad.csv");
        Files.writeString(hub, "id,lr,epoch,val_metric\n0,0.1,1,0.5\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OptunaRunner.builder().build().run(hub, List.of(0L), 10, true, dir.resolve("w")));
        assertTrue(e.getMessage().contains("header must be config_id"), e.getMessage());
    }
}
