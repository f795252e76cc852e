package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dl4jfms.examples.bench.BenchReportWriter;
import dev.dl4jfms.examples.bench.HubCsv;
import dev.dl4jfms.examples.bench.HubTable;
import dev.dl4jfms.examples.data.IdxDataFolders;
import dev.dl4jfms.examples.bench.MethodRun;
import dev.dl4jfms.examples.bench.TrajectoryPoint;
import dev.dl4jfms.examples.hub.Hub;
import dev.dl4jfms.examples.hub.HubBench;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.TrialRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI-sized pipeline: a tiny real hub (4 MLPs, 3 epochs, a few hundred 14×14 Fashion-MNIST images) built, resumed,
 * exported and benchmarked through the command line; checks exact headers and sane values.
 */
class HubBenchPipelineTest {

    @TempDir
    Path work;

    @Test
    void buildExportAndBenchATinyHub() throws Exception {
        assumeTrue(IdxDataFolders.holdsIdxData(IdxDataFolders.SYSTEM_FASHION_MNIST), "Fashion-MNIST not installed");
        Path def = work.resolve("tiny.yaml");
        Files.writeString(def, """
                name: tiny
                kind: architecture
                poolSize: 4
                maxEpochs: 3
                seed: 5
                data: {train: 300, validation: 100, test: 100, downsample: 2}
                space:
                  hidden_layers: [1, 2]
                  width1: {min: 8, max: 16, integer: true}
                  width2: {min: 8, max: 16, integer: true}
                  learning_rate: {min: 1.0e-3, max: 1.0e-1, log: true}
                  batch_size: [32, 64]
                  updater: [adam, sgd]
                """);
        Path db = work.resolve("tiny.db");
        CliRun build = CliRun.of("hub", "build", "--space", def.toString(), "--store", db.toString(), "--workers",
                "2");
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(build.out().contains("4 trained now"), build.out());

        // A second build on the same store is a no-op; different settings are refused with a clear message.
        CliRun again = CliRun.of("hub", "build", "--space", def.toString(), "--store", db.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("0 trained now") && again.out().contains("4 already complete"), again.out());
        CliRun other = CliRun.of("hub", "build", "--space", def.toString(), "--store", db.toString(), "--max-epochs",
                "4");
        assertEquals(FmsCli.EXIT_USAGE, other.exitCode());
        assertTrue(other.err().contains("different settings"), other.err());

        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            Hub hub = Hub.read(store);
            assertEquals(4, hub.entries().size());
            for (Hub.Entry e : hub.entries()) {
                assertEquals(3, e.epochs());
                assertTrue(e.checkpointIds()[0] > 0, "epoch-0 weights recorded");
                for (int k = 0; k < 3; k++) {
                    assertTrue(e.val()[k] >= 0 && e.val()[k] <= 1 && e.test()[k] >= 0 && e.test()[k] <= 1);
                    assertTrue(e.seconds()[k] > 0 && Double.isFinite(e.trainLoss()[k]));
                }
            }
            // Replays with a budget covering the whole pool (4 configs x 3 epochs) must find the hub's best value at
            // any epoch, computed here directly from the hub; arbiter-random must never train a configuration twice.
            double best = java.util.Arrays.stream(hub.allValidationValues()).max().orElseThrow();
            HubBench bench = new HubBench(hub, store, 12, new HubBench.SurrogateSchedule(1, 5, 2), 2);
            for (String method : List.of("random", "arbiter-random", "hyperband")) {
                MethodRun run = bench.runOne(method, 3);
                TrajectoryPoint last = run.trajectory().get(run.trajectory().size() - 1);
                if (!method.equals("hyperband")) {
                    assertEquals(best, last.incumbentVal(), 0.0, method);
                    assertEquals(hub.entries().stream().mapToInt(Hub.Entry::epochs).sum(), last.epochs(), method);
                }
                assertTrue(last.epochs() <= 12 && last.incumbentVal() <= best, method);
            }
            for (TrialRecord t : store.trials(store.studyByName("hub").orElseThrow().id())) {
                assertTrue(t.architectureSignature() != null && t.unitVector().length == 6);
            }
        }

        Path csv = work.resolve("tiny.csv");
        CliRun export = CliRun.of("hub", "export", "--store", db.toString(), "--out", csv.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertEquals("config_id,hidden_layers,width1,width2,learning_rate,batch_size,updater,epoch,val_metric,"
                + "test_metric,train_loss,seconds", Files.readAllLines(csv).get(0));
        HubTable table = HubCsv.read(csv);
        assertEquals(4, table.configIds().size());
        assertEquals(3, table.maxEpochs());

        Path out = work.resolve("bench");
        CliRun bench = CliRun.of("bench", "--hub", db.toString(), "--methods",
                "random,topk1,hyperband,asha,arbiter-random,arbiter-genetic,dyhpo", "--seeds", "2", "--budget", "8",
                "--warmup", "2", "--surrogate-schedule", "1,5,2", "--out", out.toString());
        assertEquals(0, bench.exitCode(), bench.err());
        List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
        assertEquals(BenchReportWriter.CURVES_HEADER, curves.get(0));
        assertEquals("method,seed,epochs,normalized_regret,incumbent_val,incumbent_test", curves.get(0));
        Set<String> methods = new HashSet<>();
        for (String line : curves.subList(1, curves.size())) {
            String[] c = line.split(",");
            methods.add(c[0]);
            long epochs = Long.parseLong(c[2]);
            double regret = Double.parseDouble(c[3]);
            assertTrue(epochs >= 1 && epochs <= 8, line);
            assertTrue(regret >= 0 && regret <= 1, line);
        }
        assertEquals(Set.of("random", "topk1", "hyperband", "asha", "arbiter-random", "arbiter-genetic", "dyhpo"),
                methods);
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("method,regret_at_10pct,regret_at_25pct,regret_at_50pct,regret_at_100pct,epochs_to_0.05,"
                + "epochs_to_0.01,mean_rank,kendall_tau_25pct,kendall_tau_50pct", summary.get(0));
        assertEquals(8, summary.size());
        for (String line : summary.subList(1, summary.size())) {
            String[] c = line.split(",", -1);
            double regret100 = Double.parseDouble(c[4]);
            assertTrue(regret100 >= 0 && regret100 <= 1, line);
            assertTrue(c[0].equals("dyhpo") || c[8].isEmpty(), "tau only for forecasting methods: " + line);
        }
        assertTrue(Files.size(out.resolve("regret.png")) > 1000);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("dyhpo"));

        // the ablation flags (spec learning rate for the GP hyperparameters, no hand-over to the fallback policy,
        // speed levers, the old fallback policy) are accepted and the fallback column is written; 8 epochs are too
        // few for the guard to judge, so it cannot fire here
        Path ablation = work.resolve("bench-ablation");
        CliRun noFallback = CliRun.of("bench", "--hub", db.toString(), "--methods", "dyhpo", "--seeds", "1",
                "--budget", "8", "--warmup", "2", "--surrogate-schedule", "1,5,2", "--gp-learning-rate", "1e-3",
                "--no-fallback", "--speed-levers", "2,1,1e-3,2", "--fallback-policy", "hyperband", "--out",
                ablation.toString());
        assertEquals(0, noFallback.exitCode(), noFallback.err());
        String md = Files.readString(ablation.resolve("summary.md"));
        assertTrue(md.matches("(?s).*\\| dyhpo \\| [^|]+ \\| 0/1 \\|.*"), "no seed fell back:\n" + md);
        CliRun badRate = CliRun.of("bench", "--hub", db.toString(), "--methods", "dyhpo", "--seeds", "1",
                "--gp-learning-rate", "-1", "--out", work.resolve("bench-bad").toString());
        assertTrue(badRate.exitCode() != 0 && badRate.err().contains("--gp-learning-rate"), badRate.err());
        CliRun badFallback = CliRun.of("bench", "--hub", db.toString(), "--methods", "dyhpo", "--seeds", "1",
                "--fallback-policy", "random", "--out", work.resolve("bench-bad-fallback").toString());
        assertTrue(badFallback.exitCode() != 0 && badFallback.err().contains("--fallback-policy"), badFallback.err());
        for (String bad : new String[] {"128,5,1e-3", "128,5,1e-3,0", "128,x,1e-3,4"}) {
            CliRun badLevers = CliRun.of("bench", "--hub", db.toString(), "--methods", "dyhpo", "--seeds", "1",
                    "--speed-levers", bad, "--out", work.resolve("bench-bad-levers").toString());
            assertTrue(badLevers.exitCode() != 0 && badLevers.err().contains("--speed-levers"), bad + ": "
                    + badLevers.err());
        }
    }
}
