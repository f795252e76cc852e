package dev.dl4jfms.examples.search;

import dev.dl4jfms.examples.data.InMemoryDataSetIterator;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Arbiter {@link DataProvider} over data already in memory: training data for {@code trainData}, validation data
 * for {@code testData} (as {@code FmsTaskCreator} expects). Every call returns a new iterator over the shared,
 * read-only arrays, so concurrent tasks do not interfere; the training iterator reshuffles (seeded) every epoch.
 *
 * <p>The arrays are not serialised (only the batch size and seed are): this provider is for runs in this JVM.
 */
public final class InMemoryDataProvider implements DataProvider {

    private static final long serialVersionUID = 1L;

    @JsonIgnore
    private transient DataSet train;
    @JsonIgnore
    private transient DataSet validation;
    private int batchSize;
    private long seed;

    /** For Jackson. */
    InMemoryDataProvider() {
    }

    /**
     * @param train      training examples
     * @param validation validation examples (what the study decides on)
     * @param batchSize  minibatch size, positive
     * @param seed       seed of the training shuffles
     */
    public InMemoryDataProvider(DataSet train, DataSet validation, int batchSize, long seed) {
        this.train = Objects.requireNonNull(train, "training data");
        this.validation = Objects.requireNonNull(validation, "validation data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public Object trainData(Map<String, Object> dataParameters) {
        return new InMemoryDataSetIterator(require(train), batchSize, true, seed);
    }

    @Override
    public Object testData(Map<String, Object> dataParameters) {
        return new InMemoryDataSetIterator(require(validation), batchSize, false, 0L);
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }

    /** Number of training examples. */
    public int trainExamples() {
        return require(train).numExamples();
    }

    /** Number of validation examples. */
    public int validationExamples() {
        return require(validation).numExamples();
    }

    private static DataSet require(DataSet d) {
        if (d == null) {
            throw new IllegalStateException("InMemoryDataProvider was deserialised without its data; "
                    + "it only serves runs in the JVM that created it");
        }
        return d;
    }
}
