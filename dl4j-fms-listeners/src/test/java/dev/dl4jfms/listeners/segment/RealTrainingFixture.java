package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.store.SqliteCheckpointStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Shared setup of the tests that really train on Fashion-MNIST: 600 training and 200 validation images (read once
 * per test class) and a fresh SQLite store in a temporary folder for every test.
 */
abstract class RealTrainingFixture {

    static DataSet trainData;
    static DataSet validationData;

    @TempDir
    Path dir;
    SqliteCheckpointStore store;

    @BeforeAll
    static void readData() throws Exception {
        trainData = FashionMnistSubset.read(0, 600);
        validationData = FashionMnistSubset.read(600, 200);
    }

    @BeforeEach
    void openStore() {
        store = SqliteCheckpointStore.open(dir.resolve("store.db"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** The training images in batches of 100, fixed order. */
    static DataSetIterator train() {
        return FashionMnistSubset.iterator(trainData, 100);
    }

    /** The validation images in batches of 150, fixed order. */
    static DataSetIterator validation() {
        return FashionMnistSubset.iterator(validationData, 150);
    }
}
