package dev.dl4jfms.listeners.segment;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** Test data: the first images of Debian's Fashion-MNIST training files (read-only, never modified). */
public final class FashionMnistSubset {

    public static final Path FOLDER = Paths.get("/usr/share/datasets/fashion-mnist");

    private FashionMnistSubset() {
    }

    /** Images [from, from + count) as a DataSet: features [n, 784] in [0, 1], one-hot labels [n, 10]. */
    public static DataSet read(int from, int count) throws IOException {
        float[] features = new float[count * 784];
        float[] labels = new float[count * 10];
        try (DataInputStream images = open("train-images-idx3-ubyte.gz");
             DataInputStream labelStream = open("train-labels-idx1-ubyte.gz")) {
            if (images.readInt() != 2051 || labelStream.readInt() != 2049) {
                throw new IOException("not IDX files in " + FOLDER);
            }
            images.skipNBytes(12 + (long) from * 784);
            labelStream.skipNBytes(4 + from);
            byte[] pixels = new byte[count * 784];
            images.readFully(pixels);
            for (int i = 0; i < pixels.length; i++) {
                features[i] = (pixels[i] & 0xFF) / 255f;
            }
            for (int i = 0; i < count; i++) {
                labels[i * 10 + labelStream.readUnsignedByte()] = 1f;
            }
        }
        return new DataSet(Nd4j.create(features, new long[]{count, 784}, DataType.FLOAT),
                Nd4j.create(labels, new long[]{count, 10}, DataType.FLOAT));
    }

    /** Iterator over {@code data} in fixed order (no shuffling), so training is reproducible. */
    public static DataSetIterator iterator(DataSet data, int batchSize) {
        return new ListDataSetIterator<>(data.asList(), batchSize);
    }

    private static DataInputStream open(String name) throws IOException {
        Path file = FOLDER.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IOException("Fashion-MNIST not found: " + file
                    + " (apt-get update && apt-get install -y dataset-fashion-mnist)");
        }
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(in);
    }
}
