package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dl4jfms.examples.search.SearchSpaces;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fms demo mnist} and {@code fms search} end to end on a few hundred Fashion-MNIST images (the Debian
 * package, read in place): real Arbiter runner, real training, real SQLite store, report checked in headless
 * Chromium when it is installed.
 */
class DemoAndSearchRunTest {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    /** Stored epochs per trial are 1..n without gaps or duplicates; returns their total. */
    private static int storedEpochs(SqliteCheckpointStore store, long studyId) {
        int total = 0;
        for (TrialRecord t : store.trials(studyId)) {
            List<CheckpointRecord> curve = store.checkpoints(t.id());
            for (int i = 0; i < curve.size(); i++) {
                assertEquals(i + 1, curve.get(i).epoch(), "trial " + t.id() + ": " + curve);
                assertTrue(curve.get(i).hasWeights(), "epoch checkpoints carry weights");
                assertTrue(Double.isFinite(curve.get(i).metric("val_accuracy")));
            }
            total += curve.size();
        }
        return total;
    }

    private static Path checkScript() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.exists(d.resolve("scripts/check-report.sh"))) {
            d = d.getParent();
        }
        assertTrue(d != null, "scripts/check-report.sh not found");
        return d.resolve("scripts/check-report.sh");
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void tinyMnistDemoWritesAStoreAndAReportChromiumAccepts() throws Exception {
        assumeTrue(Files.exists(FASHION.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist not installed");
        Path out = dir.resolve("fms-demo");
        CliRun r = CliRun.of("demo", "mnist", "--out", out.toString(), "--train", "300", "--val", "100",
                "--budget", "6", "--max-epochs", "2", "--pool", "6", "--warmup", "3", "--progress-every", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("6 of 6 epochs spent"), r.toString());
        assertTrue(r.out().contains("Report: " + out.resolve("report.html")), r.toString());
        assertTrue(r.err().contains("[fms] epochs 6/6"), "final progress line: " + r.err());
        assertTrue(r.err().contains("forecaster gp-stats"), "FMS with the statistics embedding is the default");
        assertEquals(3, r.out().strip().lines().count(), "stdout carries only the summary: " + r.out());

        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(out.resolve("fms.db"))) {
            StudyRecord study = store.studyByName("mnist-mlp").orElseThrow();
            assertEquals(6, storedEpochs(store, study.id()));
            assertTrue(store.events(study.id()).stream().anyMatch(e -> e.kind().equals("report_forecasts")),
                    "final forecasts journalled for the report");
            List<String> notes = store.events(study.id()).stream().filter(e -> e.kind().equals("policy_note"))
                    .map(EventRecord::payloadJson).toList();
            assertEquals(List.of(), notes, "the GP forecaster ran without falling back");
        }
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("Study report: mnist-mlp"));
        assertTrue(html.contains("Adam lr="), "configurations summarised in the trials table");
        for (String png : List.of("incumbent.png", "learning-curves.png", "forecast.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }

        // The report command rebuilds the same page from the store alone.
        Path again = dir.resolve("again");
        CliRun report = CliRun.of("report", "--store", out.resolve("fms.db").toString(), "--study", "mnist-mlp",
                "--out", again.toString());
        assertEquals(0, report.exitCode(), report.toString());
        assertTrue(report.out().contains("6 epochs"), report.toString());

        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            Process p = new ProcessBuilder(checkScript().toString(), out.resolve("report.html").toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(100, TimeUnit.SECONDS), "check-report.sh timed out");
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("OK, 3/3 images decoded"), log);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void searchResumeContinuesTheSameStudy() throws Exception {
        assumeTrue(Files.exists(FASHION.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist not installed");
        Path space = Files.writeString(dir.resolve("tiny-mlp.json"), SearchSpaces.mlp(784, 10, 7).toJson());
        Path store = dir.resolve("search.db");
        String[] common = {"search", "--space", space.toString(), "--data", FASHION.toString(), "--store",
                store.toString(), "--out", dir.resolve("report").toString()};
        CliRun first = CliRun.of(concat(common, "--train", "200", "--val", "100", "--budget", "4", "--max-epochs",
                "2", "--pool", "5", "--warmup", "2", "--forecaster", "trend"));
        assertEquals(0, first.exitCode(), first.toString());
        long studyId;
        try (SqliteCheckpointStore s = SqliteCheckpointStore.open(store)) {
            StudyRecord study = s.studyByName("tiny-mlp").orElseThrow();
            studyId = study.id();
            assertEquals(4, storedEpochs(s, studyId));
        }

        // Running again without --resume refuses to mix two runs into one study.
        CliRun again = CliRun.of(common);
        assertEquals(FmsCli.EXIT_USAGE, again.exitCode(), again.toString());
        assertTrue(again.err().contains("pass --resume"), again.toString());
        // Resume may not change the pool.
        CliRun changed = CliRun.of(concat(common, "--resume", "--pool", "9"));
        assertEquals(FmsCli.EXIT_USAGE, changed.exitCode(), changed.toString());

        CliRun resumed = CliRun.of(concat(common, "--resume", "--budget", "7"));
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("resuming study 'tiny-mlp'"), resumed.toString());
        assertTrue(resumed.err().contains("200 training / 100 validation"), "stored data options reused: " + resumed);
        assertTrue(resumed.out().contains("7 of 7 epochs spent"), resumed.toString());
        try (SqliteCheckpointStore s = SqliteCheckpointStore.open(store)) {
            assertEquals(1, s.studies().size(), "the same study, not a new one");
            assertEquals(7, storedEpochs(s, studyId), "4 old + 3 new epochs, none trained twice");
            List<String> kinds = s.events(studyId).stream().map(EventRecord::kind).toList();
            assertTrue(kinds.contains("study_resumed"), kinds.toString());
            assertEquals(1, kinds.stream().filter("run_options"::equals).count());
        }
        assertTrue(Files.exists(dir.resolve("report").resolve("report.html")));
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
