package dev.dl4jfms.listeners.arbiter;

import dev.dl4jfms.listeners.segment.FashionMnistSubset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Arbiter data provider for tests: the first {@code trainExamples} Fashion-MNIST training images for training,
 * the next {@code validationExamples} for validation. JSON-serializable (plain fields) as Arbiter requires; every
 * call returns a new iterator over shared read-only arrays, so concurrent tasks do not interfere.
 */
public class FashionMnistDataProvider implements DataProvider {

    private static final long serialVersionUID = 1L;
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
                return FashionMnistSubset.read(from, count);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
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
