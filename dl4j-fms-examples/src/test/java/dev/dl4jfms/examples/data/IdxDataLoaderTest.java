package dev.dl4jfms.examples.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Tests on the real Fashion-MNIST files. The reference is an independent decoding of the gzip'd IDX bytes
 * (offset 16 for images, 8 for labels), mapping every image's bytes to its original label.
 */
class IdxDataLoaderTest {

    private static final Path FASHION = IdxDataFolders.SYSTEM_FASHION_MNIST;
    private static Map<ByteBuffer, Set<Integer>> labelsByImage;
    private static byte[] testImageBytes;

    @BeforeAll
    static void readReference() throws IOException {
        assertTrue(IdxDataFolders.holdsIdxData(FASHION),
                "Fashion-MNIST missing: apt-get install -y dataset-fashion-mnist");
        byte[] images = gunzip(FASHION.resolve("train-images-idx3-ubyte.gz"));
        byte[] labels = gunzip(FASHION.resolve("train-labels-idx1-ubyte.gz"));
        labelsByImage = new HashMap<>();
        for (int i = 0; i < 60_000; i++) {
            ByteBuffer key = ByteBuffer.wrap(images, 16 + i * 784, 784).slice();
            labelsByImage.computeIfAbsent(key, k -> new HashSet<>()).add(labels[8 + i] & 0xFF);
        }
        testImageBytes = gunzip(FASHION.resolve("t10k-images-idx3-ubyte.gz"));
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static ByteBuffer rawBytes(INDArray row, boolean normalized) {
        byte[] b = new byte[784];
        for (int j = 0; j < 784; j++) {
            b[j] = (byte) Math.round(row.getDouble(j) * (normalized ? 255.0 : 1.0));
        }
        return ByteBuffer.wrap(b);
    }

    private static int argMax(INDArray row) {
        return row.argMax(0).getInt(0);
    }

    @Test
    void subsetMatchesTheFileContentsAndLabels() {
        IdxData data = IdxDataLoader.builder().folder(FASHION).subsetSize(500).seed(7).build().load();
        DataSet train = data.train();
        assertEquals(500, train.numExamples());
        assertEquals(10, data.numClasses());
        assertEquals(784, data.numInputs());
        assertNull(data.validation());
        assertTrue(train.getFeatures().minNumber().doubleValue() >= 0.0);
        assertTrue(train.getFeatures().maxNumber().doubleValue() <= 1.0);
        for (int i = 0; i < 500; i++) {
            INDArray labelRow = train.getLabels().getRow(i);
            assertEquals(1.0, labelRow.sumNumber().doubleValue(), 0.0, "one-hot row " + i);
            Set<Integer> original = labelsByImage.get(rawBytes(train.getFeatures().getRow(i), true));
            assertNotNull(original, "example " + i + " is not an image of the training file");
            assertTrue(original.contains(argMax(labelRow)), "label of example " + i);
        }
    }

    @Test
    void sameSeedSameSubsetOtherSeedOtherSubset() {
        IdxDataLoader.Builder b = IdxDataLoader.builder().folder(FASHION).subsetSize(200);
        DataSet a1 = b.seed(1).build().load().train();
        DataSet a2 = b.seed(1).build().load().train();
        DataSet c = b.seed(2).build().load().train();
        assertEquals(a1.getFeatures(), a2.getFeatures());
        assertEquals(a1.getLabels(), a2.getLabels());
        assertNotEquals(a1.getFeatures(), c.getFeatures());
    }

    @Test
    void classFilterKeepsAndRelabelsOnlyTheChosenClasses() {
        int[] chosen = {7, 2, 5};
        IdxData data = IdxDataLoader.builder().folder(FASHION).classes(chosen).build().load();
        assertEquals(3, data.numClasses());
        // Fashion-MNIST's training file holds exactly 6000 images of every class.
        assertEquals(18_000, data.train().numExamples());
        INDArray perClass = data.train().getLabels().sum(0);
        for (int k = 0; k < 3; k++) {
            assertEquals(6000.0, perClass.getDouble(k), 0.0);
        }
        int[] ascending = {2, 5, 7};
        for (int i = 0; i < 300; i++) {
            int newLabel = argMax(data.train().getLabels().getRow(i));
            Set<Integer> original = labelsByImage.get(rawBytes(data.train().getFeatures().getRow(i), true));
            assertTrue(original.contains(ascending[newLabel]),
                    "example " + i + " relabelled " + newLabel + " but its original labels are " + original);
        }
    }

    @Test
    void validationSplitIsDisjointAndSized() {
        IdxData data = IdxDataLoader.builder().folder(FASHION).subsetSize(1000).validationFraction(0.2).seed(3)
                .build().load();
        assertEquals(800, data.train().numExamples());
        assertEquals(200, data.validation().numExamples());
        Set<ByteBuffer> trainImages = new HashSet<>();
        for (int i = 0; i < 800; i++) {
            trainImages.add(rawBytes(data.train().getFeatures().getRow(i), true));
        }
        int shared = 0;
        for (int i = 0; i < 200; i++) {
            if (trainImages.contains(rawBytes(data.validation().getFeatures().getRow(i), true))) {
                shared++;
            }
        }
        // Fashion-MNIST has a handful of duplicate images; a split leaking rows would share ~all 200.
        assertTrue(shared <= 2, "validation shares " + shared + " images with training");
    }

    @Test
    void rawValuesAndIndexLabelsAndTestFiles() {
        IdxData data = IdxDataLoader.builder().folder(FASHION).testFiles(true).subsetSize(50).normalize(false)
                .oneHot(false).build().load();
        assertEquals(50, data.train().numExamples());
        assertArrayEquals(new long[]{50, 1}, data.train().getLabels().shape());
        assertEquals(255.0, data.train().getFeatures().maxNumber().doubleValue(), 0.0);
        Set<ByteBuffer> testImages = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            testImages.add(ByteBuffer.wrap(testImageBytes, 16 + i * 784, 784).slice());
        }
        for (int i = 0; i < 50; i++) {
            assertTrue(testImages.contains(rawBytes(data.train().getFeatures().getRow(i), false)));
            double label = data.train().getLabels().getDouble(i, 0);
            assertTrue(label >= 0 && label <= 9 && label == Math.rint(label));
        }
    }

    @Test
    void rawUncompressedFolderGivesTheSameDataAndNothingIsModified(@TempDir Path tmp) throws IOException {
        Path raw = tmp.resolve("raw");
        Files.createDirectories(raw);
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION.resolve(name + ".gz")));
                 OutputStream out = Files.newOutputStream(raw.resolve(name))) {
                in.transferTo(out);
            }
        }
        List<String> before = listing(raw);
        List<String> systemBefore = listing(FASHION);
        DataSet fromRaw = IdxDataLoader.builder().folder(raw).subsetSize(100).seed(9).build().load().train();
        DataSet fromGz = IdxDataLoader.builder().folder(FASHION).subsetSize(100).seed(9).build().load().train();
        assertEquals(fromGz.getFeatures(), fromRaw.getFeatures());
        assertEquals(fromGz.getLabels(), fromRaw.getLabels());
        assertEquals(before, listing(raw));
        assertEquals(systemBefore, listing(FASHION));
    }

    private static List<String> listing(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                out.add(p.getFileName() + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    @Test
    void badInputsGiveErrorsNamingTheProblem(@TempDir Path tmp) throws IOException {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> IdxDataFolders.resolve(null, List.of(tmp.resolve("nothing"))));
        assertTrue(none.getMessage().contains("apt-get install -y dataset-fashion-mnist"), none.getMessage());

        IllegalArgumentException notData = assertThrows(IllegalArgumentException.class,
                () -> IdxDataLoader.builder().folder(tmp).build().load());
        assertTrue(notData.getMessage().contains(tmp.toString()), notData.getMessage());

        byte[] full = gunzip(FASHION.resolve("train-labels-idx1-ubyte.gz"));
        Path truncated = tmp.resolve("train-labels-idx1-ubyte");
        Files.write(truncated, java.util.Arrays.copyOf(full, 1000));
        Exception e = assertThrows(RuntimeException.class, () -> IdxFiles.readLabels(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());

        Exception wrongKind = assertThrows(IllegalArgumentException.class,
                () -> IdxFiles.readImages(FASHION.resolve("train-labels-idx1-ubyte.gz")));
        assertTrue(wrongKind.getMessage().contains("magic"), wrongKind.getMessage());

        assertThrows(IllegalArgumentException.class, () -> IdxDataLoader.builder().validationFraction(1.0));
        assertThrows(IllegalArgumentException.class, () -> IdxDataLoader.builder().classes(1, 1));
        assertThrows(IllegalArgumentException.class, () -> IdxDataLoader.builder().subsetSize(-1));
    }

    @Test
    void shuffledIteratorCoversEveryExampleOncePerEpochAndReshuffles() {
        IdxData data = IdxDataLoader.builder().folder(FASHION).subsetSize(300).seed(5).build().load();
        DataSetIterator it = data.trainIterator(64, true, 11);
        List<INDArray> firstEpoch = new ArrayList<>();
        int count = 0;
        while (it.hasNext()) {
            DataSet b = it.next();
            count += b.numExamples();
            firstEpoch.add(b.getFeatures());
        }
        assertEquals(300, count);
        assertEquals(5, firstEpoch.size());
        assertTrue(data.train().getFeatures().sum(0).equalsWithEps(sumRows(firstEpoch), 1e-2));
        it.reset();
        assertNotEquals(firstEpoch.get(0), it.next().getFeatures());
    }

    private static INDArray sumRows(List<INDArray> batches) {
        INDArray total = null;
        for (INDArray b : batches) {
            total = total == null ? b.sum(0) : total.add(b.sum(0));
        }
        return total;
    }
}
