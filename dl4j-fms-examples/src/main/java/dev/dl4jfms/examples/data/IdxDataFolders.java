package dev.dl4jfms.examples.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

/**
 * Finds a folder holding MNIST-format IDX files ({@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}).
 *
 * <p>Resolution order: the folder the user gave; DL4J's MNIST cache {@code ~/.deeplearning4j/data/MNIST}; the
 * Debian package folder {@code /usr/share/datasets/fashion-mnist}. Nothing is ever downloaded.
 */
public final class IdxDataFolders {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path SYSTEM_FASHION_MNIST = Paths.get("/usr/share/datasets/fashion-mnist");

    /** DL4J's own MNIST cache (filled by {@code MnistDataSetIterator} on machines with internet). */
    public static final Path DL4J_MNIST_CACHE =
            Paths.get(System.getProperty("user.home"), ".deeplearning4j", "data", "MNIST");

    private IdxDataFolders() {
    }

    /**
     * Resolves the data folder.
     *
     * @param userFolder a folder given by the user, or null to use the defaults
     * @return a folder that holds at least the training images and labels
     * @throws IllegalArgumentException when {@code userFolder} is given but holds no IDX files
     * @throws IllegalStateException    when no default folder holds data; the message says how to get it
     */
    public static Path resolve(Path userFolder) {
        return resolve(userFolder, List.of(DL4J_MNIST_CACHE, SYSTEM_FASHION_MNIST));
    }

    /** As {@link #resolve(Path)} with an explicit list of default folders, tried in order. */
    public static Path resolve(Path userFolder, List<Path> defaults) {
        if (userFolder != null) {
            if (!holdsIdxData(userFolder)) {
                throw new IllegalArgumentException("Folder " + userFolder + " holds no MNIST-format IDX files "
                        + "(expected train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])");
            }
            return userFolder;
        }
        for (Path candidate : defaults) {
            if (holdsIdxData(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No MNIST-format data found (looked in " + defaults + "). Install Fashion-MNIST with "
                + "`apt-get update && apt-get install -y dataset-fashion-mnist`, or pass a folder holding "
                + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
                + "t10k-labels-idx1-ubyte.gz (raw or gzip).");
    }

    /** True when {@code folder} holds the training images and labels, raw or gzip. */
    public static boolean holdsIdxData(Path folder) {
        return folder != null && Files.isDirectory(folder)
                && find(folder, "train-images-idx3-ubyte").isPresent()
                && find(folder, "train-labels-idx1-ubyte").isPresent();
    }

    /**
     * The file {@code baseName} or {@code baseName.gz} in {@code folder}; also accepts DL4J's cache naming
     * with dots ({@code train-images.idx3-ubyte}).
     */
    public static Optional<Path> find(Path folder, String baseName) {
        String dotted = baseName.replaceFirst("-idx", ".idx");
        for (String name : List.of(baseName, baseName + ".gz", dotted, dotted + ".gz")) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
