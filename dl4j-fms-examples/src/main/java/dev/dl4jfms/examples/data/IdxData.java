package dev.dl4jfms.examples.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Examples loaded by {@link IdxDataLoader}.
 *
 * @param train      the training examples
 * @param validation the held-out examples, or null when no validation fraction was requested
 * @param numClasses number of (kept) classes
 * @param rows       image height
 * @param cols       image width
 */
public record IdxData(DataSet train, DataSet validation, int numClasses, int rows, int cols) {

    /** Number of input features (pixels per image). */
    public int numInputs() {
        return rows * cols;
    }

    /** Iterator over the training examples; {@code shuffle} reshuffles (seeded) at every reset. */
    public DataSetIterator trainIterator(int batchSize, boolean shuffle, long seed) {
        return new InMemoryDataSetIterator(train, batchSize, shuffle, seed);
    }

    /** Iterator over the validation examples in fixed order. */
    public DataSetIterator validationIterator(int batchSize) {
        if (validation == null) {
            throw new IllegalStateException("No validation set: set IdxDataLoader.Builder#validationFraction > 0");
        }
        return new InMemoryDataSetIterator(validation, batchSize, false, 0L);
    }
}
