package dev.dl4jfms.examples.hub;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataLoader;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three data sets a hub trains and evaluates on: training and validation subsets drawn (disjoint, seeded) from
 * the IDX training files and a test subset from the t10k files, optionally average-pooled {@code k×k}.
 *
 * @param train      training examples
 * @param validation validation examples (the metric the search optimises)
 * @param test       test examples (recorded, never used for decisions)
 * @param numClasses number of classes kept
 * @param numInputs  features per example after downsampling
 */
public record HubDataSets(DataSet train, DataSet validation, DataSet test, int numClasses, int numInputs) {

    /** Loads the data of {@code d} restricted to {@code classes} (empty: all), seeded with {@code seed}. */
    public static HubDataSets load(HubDefinition.Data d, List<Integer> classes, int trainCount, long seed) {
        int[] cls = classes.stream().mapToInt(Integer::intValue).toArray();
        int total = trainCount + d.validation();
        IdxDataLoader.Builder b = IdxDataLoader.builder().folder(d.folder()).subsetSize(total).seed(seed)
                .validationFraction(d.validation() / (double) total);
        IdxDataLoader.Builder t = IdxDataLoader.builder().folder(d.folder()).testFiles(true).subsetSize(d.test())
                .seed(seed + 1).validationFraction(0);
        if (cls.length > 0) {
            b.classes(cls);
            t.classes(cls);
        }
        IdxData main = b.build().load();
        IdxData test = t.build().load();
        int k = d.downsample();
        DataSet train = pool(main.train(), main.rows(), main.cols(), k);
        DataSet val = pool(main.validation(), main.rows(), main.cols(), k);
        DataSet tst = pool(test.train(), test.rows(), test.cols(), k);
        return new HubDataSets(train, val, tst, main.numClasses(), (int) train.getFeatures().size(1));
    }

    /** Average-pools flattened {@code rows×cols} images by {@code k×k} blocks (ND4J reshape + mean). */
    static DataSet pool(DataSet data, int rows, int cols, int k) {
        if (k == 1) {
            return data;
        }
        INDArray f = data.getFeatures();
        long n = f.size(0);
        INDArray pooled = f.reshape('c', n, rows / k, k, cols / k, k).mean(2, 4).reshape('c', n, (rows / k) * (cols / k));
        return new DataSet(pooled.dup(), data.getLabels());
    }
}
