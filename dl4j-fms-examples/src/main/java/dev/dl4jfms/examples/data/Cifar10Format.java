package dev.dl4jfms.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The two on-disk layouts of CIFAR-10 that {@link Cifar10Loader} reads.
 */
public enum Cifar10Format {

    /**
     * The "binary version" from the dataset's home page ({@code cifar-10-binary.tar.gz}): files
     * {@code data_batch_1.bin} … {@code data_batch_5.bin} and {@code test_batch.bin}, each a sequence of 3073-byte
     * records (1 label byte, then 1024 red, 1024 green and 1024 blue bytes, rows top to bottom).
     */
    TORONTO_BINARY,

    /**
     * The layout that DL4J's {@code Cifar10DataSetIterator} downloads and reads: {@code train/<class>/*.png},
     * {@code test/<class>/*.png} and an optional {@code labels.txt} of tab-separated
     * {@code <folder name>\t<class name>} lines.
     */
    DL4J_PNG;

    /** Name of the first training batch of the binary version. */
    static final String FIRST_BINARY_BATCH = "data_batch_1.bin";

    /** Sub-folder created by extracting {@code cifar-10-binary.tar.gz}. */
    static final String BINARY_SUBFOLDER = "cifar-10-batches-bin";

    /** Sub-folder of DL4J's resources folder that holds the PNG layout. */
    static final String DL4J_SUBFOLDER = "cifar10";

    /**
     * Finds CIFAR-10 in {@code folder}: the folder itself, or its {@code cifar-10-batches-bin} / {@code cifar10}
     * sub-folder (so the user may point at the parent of an extracted archive).
     *
     * @return the folder that holds the data and its format, or empty when neither layout is present
     */
    public static Optional<Located> detect(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            return Optional.empty();
        }
        for (Path candidate : new Path[]{folder, folder.resolve(BINARY_SUBFOLDER), folder.resolve(DL4J_SUBFOLDER)}) {
            if (Files.isRegularFile(candidate.resolve(FIRST_BINARY_BATCH))) {
                return Optional.of(new Located(candidate, TORONTO_BINARY));
            }
            if (hasClassFolders(candidate.resolve("train"))) {
                return Optional.of(new Located(candidate, DL4J_PNG));
            }
        }
        return Optional.empty();
    }

    private static boolean hasClassFolders(Path trainFolder) {
        if (!Files.isDirectory(trainFolder)) {
            return false;
        }
        try (Stream<Path> children = Files.list(trainFolder)) {
            return children.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    /** A folder holding CIFAR-10 in a known format. */
    public record Located(Path folder, Cifar10Format format) {
    }
}
