package dev.dl4jfms.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class Cifar10LoaderTest {

    @TempDir
    Path dir;

    /** A generated image: raw bytes channel-major (R plane, G plane, B plane) and its label. */
    record Image(int label, int[] bytes) {
        String key() {
            return label + ":" + Arrays.toString(bytes);
        }
    }

    private static Image randomImage(Random random, int label) {
        int[] bytes = new int[3072];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextInt(256);
        }
        return new Image(label, bytes);
    }

    private static void writeBinary(Path file, List<Image> images) throws IOException {
        byte[] out = new byte[images.size() * 3073];
        for (int r = 0; r < images.size(); r++) {
            out[r * 3073] = (byte) images.get(r).label();
            for (int i = 0; i < 3072; i++) {
                out[r * 3073 + 1 + i] = (byte) images.get(r).bytes()[i];
            }
        }
        Files.write(file, out);
    }

    private static void writePng(Path file, Image image) throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        int[] b = image.bytes();
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int p = y * 32 + x;
                img.setRGB(x, y, (b[p] << 16) | (b[p + 1024] << 8) | b[p + 2048]);
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    /** Decodes every example of a DataSet back to raw bytes, checking the exact value/255 scaling. */
    private static List<Image> decode(DataSet ds) {
        List<Image> result = new ArrayList<>();
        if (ds == null) {
            return result;
        }
        assertArrayEquals(new long[]{ds.numExamples(), 3, 32, 32}, ds.getFeatures().shape());
        float[] f = ds.getFeatures().dup().data().asFloat();
        float[] l = ds.getLabels().dup().data().asFloat();
        for (int n = 0; n < ds.numExamples(); n++) {
            int[] bytes = new int[3072];
            for (int i = 0; i < 3072; i++) {
                float v = f[n * 3072 + i];
                bytes[i] = Math.round(v * 255f);
                assertEquals(bytes[i] / 255f, v, 0f, "scaled pixel");
            }
            int label = -1;
            for (int c = 0; c < 10; c++) {
                if (l[n * 10 + c] == 1f) {
                    assertEquals(-1, label, "one-hot");
                    label = c;
                } else {
                    assertEquals(0f, l[n * 10 + c], "one-hot");
                }
            }
            result.add(new Image(label, bytes));
        }
        return result;
    }

    private static Set<String> keys(List<Image> images) {
        Set<String> keys = new HashSet<>();
        images.forEach(i -> keys.add(i.key()));
        return keys;
    }

    @Test
    void binaryRecordsRoundTripExactlyWithDisjointTrainValidationAndTest() throws IOException {
        Random random = new Random(1);
        List<Image> batch1 = new ArrayList<>();
        List<Image> batch2 = new ArrayList<>();
        List<Image> testBatch = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            batch1.add(randomImage(random, i % 10));
        }
        for (int i = 0; i < 5; i++) {
            batch2.add(randomImage(random, 9 - i));
        }
        for (int i = 0; i < 4; i++) {
            testBatch.add(randomImage(random, 3));
        }
        Path folder = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(folder);
        writeBinary(folder.resolve("data_batch_1.bin"), batch1);
        writeBinary(folder.resolve("data_batch_2.bin"), batch2);
        writeBinary(folder.resolve("test_batch.bin"), testBatch);

        // the parent folder is accepted too (extracted archive)
        Cifar10Data data = Cifar10Loader.builder().folder(dir).validationExamples(3).seed(7).build().load();
        assertEquals(Cifar10Format.TORONTO_BINARY, data.format());
        assertEquals("airplane", data.labelNames().get(0));
        List<Image> train = decode(data.train());
        List<Image> validation = decode(data.validation());
        assertEquals(9, train.size());
        assertEquals(3, validation.size());
        Set<String> all = new HashSet<>(keys(train));
        all.addAll(keys(validation));
        assertEquals(12, all.size(), "train and validation are disjoint");
        List<Image> written = new ArrayList<>(batch1);
        written.addAll(batch2);
        assertEquals(keys(written), all);
        assertEquals(keys(testBatch), keys(decode(data.test())));

        var it = data.trainIterator(4, true, 1);
        int seen = 0;
        while (it.hasNext()) {
            seen += it.next().numExamples();
        }
        assertEquals(9, seen);
        assertEquals(3, data.validationIterator(10).next().numExamples());
    }

    @Test
    void binaryLayoutIsChannelMajorRowMajor() throws IOException {
        int[] bytes = new int[3072];
        Arrays.fill(bytes, 0, 1024, 10);
        Arrays.fill(bytes, 1024, 2048, 20);
        Arrays.fill(bytes, 2048, 3072, 30);
        bytes[1024 + 2 * 32 + 5] = 200; // green, row 2, column 5
        writeBinary(dir.resolve("data_batch_1.bin"), List.of(new Image(4, bytes)));
        DataSet train = Cifar10Loader.builder().folder(dir).testExamples(0).build().load().train();
        assertEquals(10 / 255f, train.getFeatures().getFloat(0, 0, 7, 7), 0f);
        assertEquals(20 / 255f, train.getFeatures().getFloat(0, 1, 0, 0), 0f);
        assertEquals(30 / 255f, train.getFeatures().getFloat(0, 2, 31, 31), 0f);
        assertEquals(200 / 255f, train.getFeatures().getFloat(0, 1, 2, 5), 0f);
        assertEquals(1f, train.getLabels().getFloat(0, 4), 0f);
    }

    @Test
    void pngLayoutRoundTripsExactlyAndUsesLabelsTxtNames() throws IOException {
        Random random = new Random(2);
        Map<String, Integer> written = new HashMap<>();
        List<String> folders = List.of("0", "1", "2");
        List<Image> train = new ArrayList<>();
        for (int c = 0; c < folders.size(); c++) {
            for (int i = 0; i < 4; i++) {
                Image image = randomImage(random, c);
                train.add(image);
                writePng(dir.resolve("cifar10/train/" + folders.get(c) + "/img" + i + ".png"), image);
            }
        }
        Image testImage = randomImage(random, 2);
        writePng(dir.resolve("cifar10/test/2/t0.png"), testImage);
        Files.writeString(dir.resolve("cifar10/labels.txt"), "0\tairplane\n1\tautomobile\n2\tbird\n");

        Cifar10Data data = Cifar10Loader.builder().folder(dir).validationExamples(2).build().load();
        assertEquals(Cifar10Format.DL4J_PNG, data.format());
        assertEquals(List.of("airplane", "automobile", "bird"), data.labelNames());
        Set<String> read = new HashSet<>(keys(decode(data.train())));
        read.addAll(keys(decode(data.validation())));
        assertEquals(keys(train), read);
        assertEquals(keys(List.of(testImage)), keys(decode(data.test())));
    }

    @Test
    void sameSeedSameSubsetDifferentSeedDifferentSubset() throws IOException {
        Random random = new Random(3);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            images.add(randomImage(random, i % 10));
        }
        writeBinary(dir.resolve("data_batch_1.bin"), images);
        var a = decode(Cifar10Loader.builder().folder(dir).trainExamples(10).testExamples(0).seed(1).build()
                .load().train());
        var b = decode(Cifar10Loader.builder().folder(dir).trainExamples(10).testExamples(0).seed(1).build()
                .load().train());
        var c = decode(Cifar10Loader.builder().folder(dir).trainExamples(10).testExamples(0).seed(2).build()
                .load().train());
        assertEquals(a.stream().map(Image::key).toList(), b.stream().map(Image::key).toList());
        assertNotEquals(keys(a), keys(c));
        assertTrue(keys(images).containsAll(keys(a)));
    }

    @Test
    void missingDataExplainsHowToGetIt() {
        var e = assertThrows(Cifar10DataNotFoundException.class,
                () -> Cifar10Loader.builder().folder(dir).build().load());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("Cifar10DataSetIterator"), e.getMessage());
    }

    @Test
    void truncatedBatchAndTooManyRequestedExamplesAreNamed() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), new byte[3073 * 2 + 5]);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Cifar10Loader.builder().folder(dir).testExamples(0).build().load());
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("3073"), e.getMessage());

        writeBinary(dir.resolve("data_batch_1.bin"), List.of(randomImage(new Random(4), 1)));
        var tooMany = assertThrows(IllegalArgumentException.class,
                () -> Cifar10Loader.builder().folder(dir).trainExamples(2).testExamples(0).build().load());
        assertTrue(tooMany.getMessage().contains("holds only 1"), tooMany.getMessage());
        assertNull(Cifar10Loader.builder().folder(dir).trainExamples(0).validationExamples(1).testExamples(0)
                .build().load().train());
    }
}
