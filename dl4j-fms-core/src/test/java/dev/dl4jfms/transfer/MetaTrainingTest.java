package dev.dl4jfms.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.policy.CalibrationTracker;
import dev.dl4jfms.study.MetricDirection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta-training on related tasks must make the forecaster better at what a cold one cannot do: forecast the final
 * value of configurations the new study has not tried, from a warm-up of one epoch each. Scored with the mean
 * Gaussian log-likelihood of the true final values (the quantity the calibration guard compares).
 */
class MetaTrainingTest {

    private static final Logger log = LoggerFactory.getLogger(MetaTrainingTest.class);
    static final int WARMUP = 10;
    static MetaTrainer.Result result;
    static List<SourceTask> sources;

    static DeepKernelForecasterBuilder builder() {
        return DeepKernelForecaster.builder().seed(5).learningRate(1e-2).gpHyperparameterLearningRate(1e-2)
                .schedule(1, 300, 30);
    }

    @BeforeAll
    static void metaTrain() {
        sources = List.of(SyntheticFamily.task("a", 40, 0.50, 0.40, 0.9, 1),
                SyntheticFamily.task("b", 40, 0.20, 0.60, 0.5, 2),
                SyntheticFamily.task("c", 40, 0.70, 0.20, 1.4, 3));
        result = new MetaTrainer(600, 128, 7).train(sources, builder());
        log.info("meta-training: {}", result.report());
    }

    /** A target task: its warm-up rows (one epoch each of WARMUP configurations) and untried configurations. */
    record Target(List<CurveObservation> warmup, List<ForecastQuery> untried, List<Double> finals) {
    }

    static Target target(HyperparameterEncoding encoding, long seed) {
        Random rnd = new Random(seed);
        List<CurveObservation> warm = new ArrayList<>();
        List<ForecastQuery> untried = new ArrayList<>();
        List<Double> finals = new ArrayList<>();
        int b = SyntheticFamily.MAX_EPOCHS;
        for (int i = 0; i < WARMUP + 30; i++) {
            Map<String, String> c = SyntheticFamily.config(rnd);
            double[] curve = SyntheticFamily.curve(c, 0.35, 0.5, 0.7, rnd);
            double[] x = encoding.encode(c);
            if (i < WARMUP) {
                warm.add(new CurveObservation(x, 1, b, new double[0], null, curve[0]));
            } else {
                untried.add(new ForecastQuery(x, b, b, new double[0], null));
                finals.add(curve[b - 1]);
            }
        }
        return new Target(warm, untried, finals);
    }

    static double meanLogLikelihood(List<Forecast> f, List<Double> y) {
        double s = 0;
        for (int i = 0; i < f.size(); i++) {
            s += CalibrationTracker.logLikelihood(f.get(i), y.get(i));
        }
        return s / f.size();
    }

    @Test
    void aMetaTrainedForecasterForecastsUntriedConfigurationsOfANewTaskBetterThanAColdOne() throws IOException {
        assertEquals(3, result.report().tasks());
        assertTrue(result.report().rows() > 3 * 40 * SyntheticFamily.MAX_EPOCHS, "one-step rows and longer-range ones");
        assertTrue(result.report().meanNllLast() < result.report().meanNllFirst(), "meta-training lowers the NLL: "
                + result.report());
        TransferPrior prior = TransferPrior.of(result, "dyhpo", "val_accuracy", MetricDirection.MAXIMIZE,
                List.of("a", "b", "c"), "test");
        double warmWins = 0;
        for (long seed = 11; seed < 14; seed++) {
            Target t = target(result.encoding(), seed);
            dev.dl4jfms.forecast.Forecaster transferred = prior.forecaster(builder());
            transferred.fit(t.warmup());
            DeepKernelForecaster cold = builder().inputDimension(result.encoding().dimension()).build();
            cold.fit(t.warmup());
            double llPrior = meanLogLikelihood(transferred.predict(t.untried()), t.finals());
            double llCold = meanLogLikelihood(cold.predict(t.untried()), t.finals());
            log.info("target seed {}: mean log-likelihood of untried final values, prior {} vs cold {}", seed,
                    llPrior, llCold);
            warmWins += llPrior > llCold + 0.1 ? 1 : 0;
        }
        assertEquals(3, warmWins, "the prior must beat the cold start by > 0.1 nats on every target seed");
    }

    @Test
    void savedPriorsLoadWithIdenticalForecastsAndBadFilesAreRefusedWithTheFileNamed(@TempDir Path dir)
            throws IOException {
        TransferPrior prior = TransferPrior.of(result, "dyhpo", "val_accuracy", MetricDirection.MAXIMIZE,
                List.of("a", "b", "c"), "fms meta-train ...");
        Path file = dir.resolve("p.fmsprior");
        prior.save(file);
        TransferPrior back = TransferPrior.load(file);
        assertEquals(prior.encoding(), back.encoding());
        assertEquals(List.of("a", "b", "c"), back.sources());
        Target t = target(result.encoding(), 21);
        dev.dl4jfms.forecast.Forecaster f1 = prior.forecaster(builder());
        dev.dl4jfms.forecast.Forecaster f2 = back.forecaster(builder());
        f1.fit(t.warmup());
        f2.fit(t.warmup());
        assertEquals(f1.predict(t.untried()), f2.predict(t.untried()));

        PriorMismatchException kind = assertThrows(PriorMismatchException.class,
                () -> back.checkFits("fms-stats", "val_accuracy", MetricDirection.MAXIMIZE));
        assertTrue(kind.getMessage().contains(file.toString()) && kind.getMessage().contains("dyhpo"),
                kind.getMessage());
        assertThrows(PriorMismatchException.class, () -> back.checkFits("dyhpo", "val_loss", MetricDirection.MAXIMIZE));
        assertThrows(PriorMismatchException.class,
                () -> back.checkFits("dyhpo", "val_accuracy", MetricDirection.MINIMIZE));

        // another format version, a damaged state, not a zip at all
        Path other = rewrite(file, dir.resolve("v2.fmsprior"), "\"version\" : 1", "\"version\" : 2", false);
        IOException v = assertThrows(IOException.class, () -> TransferPrior.load(other));
        assertTrue(v.getMessage().contains("v2.fmsprior") && v.getMessage().contains("version 2"), v.getMessage());
        Path damaged = rewrite(file, dir.resolve("bad.fmsprior"), null, null, true);
        IOException d = assertThrows(IOException.class, () -> TransferPrior.load(damaged));
        assertTrue(d.getMessage().contains("SHA-256"), d.getMessage());
        Path text = Files.writeString(dir.resolve("text.fmsprior"), "hello");
        IOException x = assertThrows(IOException.class, () -> TransferPrior.load(text));
        assertTrue(x.getMessage().contains("text.fmsprior"), x.getMessage());
    }

    /** Copies a prior zip, replacing text in its JSON or flipping one byte of its state. */
    private static Path rewrite(Path from, Path to, String find, String replace, boolean flipState)
            throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                if (e.getName().endsWith(".json") && find != null) {
                    String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(s.contains(find), s);
                    b = s.replace(find, replace).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } else if (!e.getName().endsWith(".json") && flipState) {
                    b[b.length / 2] ^= 0x5A;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        return to;
    }
}
