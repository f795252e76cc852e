package dev.dl4jfms.examples.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Minibatches over an in-memory {@link DataSet}, optionally reshuffled (seeded, reproducible) at every reset.
 * The last batch may be smaller. Not thread-safe: one iterator per training thread.
 */
public final class InMemoryDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final INDArray features;
    private final INDArray labels;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int numExamples;
    private int[] order;
    private int cursor;
    private int resets;
    private DataSetPreProcessor preProcessor;

    /**
     * @param data      the examples (features {@code [n, d]}, labels {@code [n, k]})
     * @param batchSize examples per minibatch, positive
     * @param shuffle   reshuffle the order at construction and at every {@link #reset()}
     * @param seed      seed of the shuffles
     */
    public InMemoryDataSetIterator(DataSet data, int batchSize, boolean shuffle, long seed) {
        if (data == null || data.getFeatures() == null || data.getLabels() == null) {
            throw new IllegalArgumentException("data with features and labels is required");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        this.features = data.getFeatures();
        this.labels = data.getLabels();
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.numExamples = (int) features.size(0);
        reorder();
    }

    private void reorder() {
        cursor = 0;
        if (!shuffle) {
            order = null;
            return;
        }
        order = new int[numExamples];
        for (int i = 0; i < numExamples; i++) {
            order[i] = i;
        }
        Random random = new Random(seed + 1_000_003L * resets);
        for (int i = numExamples - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("no more minibatches; call reset()");
        }
        int end = Math.min(cursor + num, numExamples);
        DataSet batch;
        if (order == null) {
            batch = new DataSet(features.get(NDArrayIndex.interval(cursor, end), NDArrayIndex.all()).dup(),
                    labels.get(NDArrayIndex.interval(cursor, end), NDArrayIndex.all()).dup());
        } else {
            int[] rows = java.util.Arrays.copyOfRange(order, cursor, end);
            batch = new DataSet(Nd4j.pullRows(features, 1, rows), Nd4j.pullRows(labels, 1, rows));
        }
        cursor = end;
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < numExamples;
    }

    @Override
    public void reset() {
        resets++;
        reorder();
    }

    @Override
    public int inputColumns() {
        return (int) features.size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) labels.size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
