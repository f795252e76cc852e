package dev.dl4jfms.examples.data;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * CIFAR-10 examples ready for a DL4J network: features {@code [n, 3, 32, 32]} (NCHW, RGB, scaled to [0, 1]),
 * one-hot labels {@code [n, 10]}. {@code validation} is drawn from the training files and is disjoint from
 * {@code train}; {@code test} comes from the test files. A part with no examples is null.
 *
 * @param train      training examples
 * @param validation validation examples (disjoint from {@code train}), or null
 * @param test       test examples, or null
 * @param labelNames class names in label-index order
 * @param format     the layout the data was read from
 */
public record Cifar10Data(DataSet train, DataSet validation, DataSet test, List<String> labelNames,
                          Cifar10Format format) {
    public Cifar10Data {
        labelNames = List.copyOf(labelNames);
    }

    /** Iterator over the training examples; {@code shuffle} reshuffles (seeded) at every reset. */
    public DataSetIterator trainIterator(int batchSize, boolean shuffle, long seed) {
        return new InMemoryDataSetIterator(require(train, "training"), batchSize, shuffle, seed);
    }

    /** Iterator over the validation examples in fixed order. */
    public DataSetIterator validationIterator(int batchSize) {
        return new InMemoryDataSetIterator(require(validation, "validation"), batchSize, false, 0L);
    }

    /** Iterator over the test examples in fixed order. */
    public DataSetIterator testIterator(int batchSize) {
        return new InMemoryDataSetIterator(require(test, "test"), batchSize, false, 0L);
    }

    private static DataSet require(DataSet part, String name) {
        if (part == null) {
            throw new IllegalStateException("No " + name + " examples were loaded (see Cifar10Loader.Builder)");
        }
        return part;
    }
}
