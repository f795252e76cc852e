package dev.dl4jfms.examples;

import dev.dl4jfms.examples.data.Cifar10Data;
import dev.dl4jfms.examples.data.Cifar10Format;
import dev.dl4jfms.examples.data.Cifar10Loader;
import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.examples.data.IdxDataFolders;
import dev.dl4jfms.examples.data.IdxDataLoader;
import dev.dl4jfms.examples.search.InMemoryDataProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Data of the examples, ready for a search: an Arbiter data provider (training / validation subsets in memory)
 * plus the input shape and number of classes the search space needs.
 *
 * @param provider   training data ({@code trainData}) and validation data ({@code testData})
 * @param folder     where the data was read from
 * @param kind       human-readable description, e.g. "MNIST-format IDX"
 * @param flatInput  input type for an MLP (flattened features)
 * @param imageInput input type for a CNN
 * @param numClasses number of classes
 */
public record ExampleData(InMemoryDataProvider provider, Path folder, String kind, InputType flatInput,
                          InputType imageInput, int numClasses) {

    public ExampleData {
        Objects.requireNonNull(provider, "provider");
    }

    /**
     * MNIST-format IDX data (MNIST, Fashion-MNIST): {@code train + validation} examples drawn (seeded) from the
     * training files. The folder is only read (DL4J's own MNIST reader, which deletes the {@code .gz} files it
     * unpacks, is not used).
     *
     * @param folder the user's folder, or null for the defaults of {@link IdxDataFolders#resolve(Path)}
     * @throws IllegalArgumentException when {@code folder} holds no IDX files
     * @throws IllegalStateException    when no default folder holds data (the message says how to get it)
     */
    public static ExampleData mnist(Path folder, int train, int validation, int batchSize, long seed) {
        requireSizes(train, validation);
        Path dir = IdxDataFolders.resolve(folder);
        IdxData data = IdxDataLoader.builder().folder(dir).subsetSize(train + validation)
                .validationFraction((double) validation / (train + validation)).seed(seed).build().load();
        if (data.train().numExamples() < train) {
            throw new IllegalArgumentException(dir + " holds only " + (data.train().numExamples()
                    + data.validation().numExamples()) + " training images; asked for " + train + " + " + validation);
        }
        return new ExampleData(new InMemoryDataProvider(data.train(), data.validation(), batchSize, seed), dir,
                "MNIST-format IDX", InputType.feedForward(data.numInputs()),
                InputType.convolutionalFlat(data.rows(), data.cols(), 1), data.numClasses());
    }

    /**
     * CIFAR-10 from a folder in the binary (3073-byte records) or DL4J PNG layout.
     *
     * @throws dev.dl4jfms.examples.data.Cifar10DataNotFoundException when the folder holds neither layout
     */
    public static ExampleData cifar10(Path folder, int train, int validation, int batchSize, long seed) {
        requireSizes(train, validation);
        Objects.requireNonNull(folder, "CIFAR-10 folder");
        Cifar10Data data = Cifar10Loader.builder().folder(folder).trainExamples(train).validationExamples(validation)
                .testExamples(0).seed(seed).build().load();
        return new ExampleData(new InMemoryDataProvider(data.train(), data.validation(), batchSize, seed), folder,
                "CIFAR-10 (" + data.format() + ")", InputType.feedForward(3 * 32 * 32),
                InputType.convolutional(32, 32, 3), (int) data.train().getLabels().size(1));
    }

    /**
     * Reads a data folder of either kind: MNIST-format IDX files, else CIFAR-10.
     *
     * @throws IllegalArgumentException when the folder does not exist or holds neither
     */
    public static ExampleData detect(Path folder, int train, int validation, int batchSize, long seed) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("data folder " + folder + " does not exist");
        }
        if (IdxDataFolders.holdsIdxData(folder)) {
            return mnist(folder, train, validation, batchSize, seed);
        }
        if (Cifar10Format.detect(folder).isPresent()) {
            return cifar10(folder, train, validation, batchSize, seed);
        }
        throw new IllegalArgumentException("data folder " + folder + " holds neither MNIST-format IDX files "
                + "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]) nor CIFAR-10 (data_batch_*.bin or "
                + "DL4J's PNG layout)");
    }

    private static void requireSizes(int train, int validation) {
        if (train < 1 || validation < 1) {
            throw new IllegalArgumentException("training and validation subsets need at least 1 example each, got "
                    + train + " and " + validation);
        }
    }
}
