package dev.dl4jfms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fms demo cifar} on small generated files in both real CIFAR-10 layouts: the binary version
 * ({@code data_batch_N.bin}, 3073-byte records) and DL4J's PNG folders. Each class has its own colour plus noise.
 */
class CifarDemoTest {

    @TempDir
    Path dir;

    private static int[] image(Random random, int label) {
        int[] bytes = new int[3072];
        for (int c = 0; c < 3; c++) {
            int base = 40 + 70 * ((label + c) % 3);
            for (int i = 0; i < 1024; i++) {
                bytes[c * 1024 + i] = Math.max(0, Math.min(255, base + random.nextInt(61) - 30));
            }
        }
        return bytes;
    }

    private static void writeBinary(Path folder, int perBatch, Random random) throws IOException {
        Files.createDirectories(folder);
        for (String name : new String[]{"data_batch_1.bin", "data_batch_2.bin", "test_batch.bin"}) {
            byte[] out = new byte[perBatch * 3073];
            for (int r = 0; r < perBatch; r++) {
                int label = r % 3;
                out[r * 3073] = (byte) label;
                int[] bytes = image(random, label);
                for (int i = 0; i < 3072; i++) {
                    out[r * 3073 + 1 + i] = (byte) bytes[i];
                }
            }
            Files.write(folder.resolve(name), out);
        }
    }

    private static void writePngs(Path folder, int perClass, Random random) throws IOException {
        for (String split : new String[]{"train", "test"}) {
            for (int label = 0; label < 3; label++) {
                Path classDir = Files.createDirectories(folder.resolve(split).resolve(Integer.toString(label)));
                for (int n = 0; n < perClass; n++) {
                    int[] b = image(random, label);
                    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 1024; p++) {
                        img.setRGB(p % 32, p / 32, (b[p] << 16) | (b[p + 1024] << 8) | b[p + 2048]);
                    }
                    assertTrue(ImageIO.write(img, "png", classDir.resolve("img" + n + ".png").toFile()));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "png"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cifarDemoRunsOnGeneratedFiles(String layout) throws Exception {
        Random random = new Random(11);
        Path data = dir.resolve("cifar");
        if (layout.equals("binary")) {
            writeBinary(data.resolve("cifar-10-batches-bin"), 40, random);
        } else {
            writePngs(data.resolve("cifar10"), 20, random);
        }
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("demo", "cifar", "--data", data.toString(), "--out", out.toString(), "--train", "36",
                "--val", "12", "--budget", "3", "--max-epochs", "1", "--pool", "4", "--warmup", "2", "--batch", "12", "--forecaster", "trend");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains(layout.equals("binary") ? "TORONTO_BINARY" : "DL4J_PNG"), r.toString());
        assertTrue(r.err().contains("36 training / 12 validation"), r.toString());
        assertTrue(r.out().contains("3 of 3 epochs spent"), r.toString());
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(out.resolve("fms.db"))) {
            StudyRecord study = store.studyByName("cifar-cnn").orElseThrow();
            int epochs = 0;
            for (TrialRecord t : store.trials(study.id())) {
                for (CheckpointRecord c : store.checkpoints(t.id())) {
                    assertEquals(1, c.epoch(), "B_max 1: one epoch per trial");
                    assertTrue(c.hasWeights());
                    double acc = c.metric("val_accuracy");
                    assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
                    epochs++;
                }
            }
            assertEquals(3, epochs);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("conv 5x5x"), "CNN configurations in the trials table");
    }
}
