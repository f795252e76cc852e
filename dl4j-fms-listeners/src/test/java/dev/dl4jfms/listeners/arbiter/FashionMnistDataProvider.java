package dev.dl4jfms.listeners.arbiter;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arbiter data provider for tests: the first {@code trainExamples} Fashion-MNIST training images for training,
 * the next {@code validationExamples} for validation. JSON-serializable (plain fields) as Arbiter requires; every
 * call returns a new iterator over shared read-only arrays, so concurrent tasks do not interfere.
 */
public class FashionMnistDataProvider implements DataProvider {

    private static final long serialVersionUID = 1L;
    private static final Path FOLDER = Paths.get("/usr/share/datasets/fashion-mnist");
    private static final Map<String, DataSet> CACHE = new ConcurrentHashMap<>();

    private int trainExamples;
    private int validationExamples;
    private int batchSize;

    /** For Jackson. */
    protected FashionMnistDataProvider() {
    }

    public FashionMnistDataProvider(int trainExamples, int validationExamples, int batchSize) {
        this.trainExamples = trainExamples;
        this.validationExamples = validationExamples;
        this.batchSize = batchSize;
    }

    @Override
    public Object trainData(Map<String, Object> dataParameters) {
        return new ListDataSetIterator<>(read(0, trainExamples).asList(), batchSize);
    }

    @Override
    public Object testData(Map<String, Object> dataParameters) {
        return new ListDataSetIterator<>(read(trainExamples, validationExamples).asList(), batchSize);
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }

    private static DataSet read(int from, int count) {
        return CACHE.computeIfAbsent(from + ":" + count, k -> {
            try {
                return readIdx(from, count);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static DataSet readIdx(int from, int count) throws IOException {
        float[] features = new float[count * 784];
        float[] labels = new float[count * 10];
        try (DataInputStream images = new DataInputStream(new GZIPInputStream(
                Files.newInputStream(FOLDER.resolve("train-images-idx3-ubyte.gz"))));
             DataInputStream lab = new DataInputStream(new GZIPInputStream(
                     Files.newInputStream(FOLDER.resolve("train-labels-idx1-ubyte.gz"))))) {
            images.skipNBytes(16 + (long) from * 784);
            lab.skipNBytes(8 + from);
            byte[] pixels = new byte[count * 784];
            images.readFully(pixels);
            for (int i = 0; i < pixels.length; i++) {
                features[i] = (pixels[i] & 0xFF) / 255f;
            }
            for (int i = 0; i < count; i++) {
                labels[i * 10 + lab.readUnsignedByte()] = 1f;
            }
        }
        return new DataSet(Nd4j.create(features, new long[]{count, 784}, DataType.FLOAT),
                Nd4j.create(labels, new long[]{count, 10}, DataType.FLOAT));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FashionMnistDataProvider p && p.trainExamples == trainExamples
                && p.validationExamples == validationExamples && p.batchSize == batchSize;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * trainExamples + validationExamples) + batchSize;
    }
}
