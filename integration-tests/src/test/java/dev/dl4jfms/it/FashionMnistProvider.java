package dev.dl4jfms.it;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Arbiter data provider over a seeded Fashion-MNIST subset read with {@link IdxDataLoader} (the installed IDX
 * files are only read): {@code trainExamples} for training and {@code validationExamples} for validation, both
 * from the training files; {@link #testSet(int)} gives held-out images from the t10k files. Plain fields, so it
 * serialises with Arbiter's configuration; each call returns a fresh iterator over shared read-only arrays.
 */
public class FashionMnistProvider implements DataProvider {

    private static final long serialVersionUID = 1L;
    static final Path FOLDER = Paths.get("/usr/share/datasets/fashion-mnist");
    private static final Map<String, IdxData> CACHE = new ConcurrentHashMap<>();

    private int trainExamples;
    private int validationExamples;
    private int batchSize;
    private long seed;

    /** For Jackson. */
    protected FashionMnistProvider() {
    }

    public FashionMnistProvider(int trainExamples, int validationExamples, int batchSize, long seed) {
        this.trainExamples = trainExamples;
        this.validationExamples = validationExamples;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    private IdxData data() {
        int total = trainExamples + validationExamples;
        return CACHE.computeIfAbsent(total + ":" + validationExamples + ":" + seed, k -> IdxDataLoader.builder()
                .folder(FOLDER).subsetSize(total).seed(seed)
                .validationFraction((double) validationExamples / total).build().load());
    }

    @Override
    public Object trainData(Map<String, Object> dataParameters) {
        return data().trainIterator(batchSize, false, seed);
    }

    @Override
    public Object testData(Map<String, Object> dataParameters) {
        return data().validationIterator(batchSize);
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }

    /** {@code n} held-out images from the t10k files (never used by a study). */
    static DataSet testSet(int n) {
        return CACHE.computeIfAbsent("t10k:" + n, k -> IdxDataLoader.builder().folder(FOLDER).testFiles(true)
                .subsetSize(n).seed(7).validationFraction(0).build().load()).train();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FashionMnistProvider p && p.trainExamples == trainExamples
                && p.validationExamples == validationExamples && p.batchSize == batchSize && p.seed == seed;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(trainExamples, validationExamples, batchSize, seed);
    }
}
