package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.transfer.TransferPrior;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Earlier studies as an asset, end to end with real training on Fashion-MNIST: a first demo's store is meta-trained
 * into a prior ({@code fms meta-train}, reading a search store, not a hub), a second study starts from it
 * ({@code --prior}) and a third meta-trains on the fly ({@code --transfer-from}); bad priors are refused with the
 * file named and exit code 2.
 */
class TransferCliTest {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    private static CliRun demo(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("demo", "mnist", "--out", out.toString(), "--train",
                "300", "--val", "100", "--budget", "8", "--max-epochs", "2", "--pool", "8", "--warmup", "3",
                "--progress-every", "1"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static List<String> notes(Path store) {
        try (SqliteCheckpointStore s = SqliteCheckpointStore.open(store)) {
            StudyRecord study = s.studyByName("mnist-mlp").orElseThrow();
            return s.events(study.id()).stream().filter(e -> e.kind().equals("policy_note"))
                    .map(EventRecord::payloadJson).toList();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void anEarlierStudyBecomesAPriorTheNextStudyStartsFromAndBadPriorsAreRefused() throws Exception {
        assumeTrue(Files.exists(FASHION.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist not installed");
        Path first = dir.resolve("first");
        CliRun a = demo(first);
        assertEquals(0, a.exitCode(), a.toString());

        Path prior = dir.resolve("p.fmsprior");
        CliRun m = CliRun.of("meta-train", "--store", first.resolve("fms.db").toString(), "--steps", "40",
                "--rows-per-step", "16", "--out", prior.toString());
        assertEquals(0, m.exitCode(), m.toString());
        assertTrue(m.out().contains("Meta-trained fms-stats on 1 sources"), m.out());
        TransferPrior p = TransferPrior.load(prior);
        assertEquals(List.of("fms.db:mnist-mlp"), p.sources());
        assertTrue(p.encoding().names().contains("learning_rate"), p.encoding().describe());

        Path second = dir.resolve("second");
        CliRun b = demo(second, "--prior", prior.toString());
        assertEquals(0, b.exitCode(), b.toString());
        assertTrue(b.err().contains("the forecaster starts from " + prior), b.err());
        assertTrue(notes(second.resolve("fms.db")).stream().anyMatch(n -> n.contains("transferred forecaster")),
                "the journal says the transferred forecaster decided: " + notes(second.resolve("fms.db")));
        assertTrue(Files.readString(second.resolve("report.html")).contains("Who decided"));

        CliRun shipped = demo(dir.resolve("shipped"), "--prior", "shipped");
        assertEquals(0, shipped.exitCode(), shipped.toString());
        assertTrue(shipped.err().contains("shipped prior") && shipped.err().contains("fm-deep.db:hub"), shipped.err());

        CliRun c = demo(dir.resolve("third"), "--transfer-from", first.resolve("fms.db") + ":mnist-mlp");
        assertEquals(0, c.exitCode(), c.toString());
        assertTrue(c.err().contains("meta-training a fms-stats prior on [fms.db:mnist-mlp]"), c.err());

        // a prior of another forecaster, a missing file, a store without studies: one line, exit code 2
        Path dyhpo = dir.resolve("dyhpo.fmsprior");
        assertEquals(0, CliRun.of("meta-train", "--store", first.resolve("fms.db").toString(), "--forecaster",
                "dyhpo", "--steps", "5", "--rows-per-step", "8", "--out", dyhpo.toString()).exitCode());
        CliRun wrong = demo(dir.resolve("wrong"), "--prior", dyhpo.toString());
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains(dyhpo.toString()) && wrong.err().contains("dyhpo"), wrong.err());
        CliRun missing = demo(dir.resolve("missing"), "--prior", dir.resolve("nope.fmsprior").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("nope.fmsprior"), missing.err());
        Path empty = dir.resolve("empty.db");
        SqliteCheckpointStore.open(empty).close();
        CliRun none = CliRun.of("meta-train", "--store", empty.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().contains("no usable study"), none.err());
    }
}
