package dev.dl4jfms.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads CIFAR-10 from a user folder in either the binary version ({@link Cifar10Format#TORONTO_BINARY}) or DL4J's
 * PNG layout ({@link Cifar10Format#DL4J_PNG}); the format is detected. Examples are drawn reproducibly (seeded)
 * so a small subset costs little to read; pixels are scaled to [0, 1] as {@code value / 255}.
 *
 * <pre>{@code
 * Cifar10Data data = Cifar10Loader.builder()
 *         .folder(Paths.get("/data/cifar-10-batches-bin"))
 *         .trainExamples(5000).validationExamples(1000).testExamples(1000)
 *         .seed(42).build().load();
 * }</pre>
 */
public final class Cifar10Loader {

    private static final Logger log = LoggerFactory.getLogger(Cifar10Loader.class);
    private static final int NUM_CLASSES = 10;
    private static final List<String> BINARY_CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** Value of {@link Builder#trainExamples} meaning "every training example not used for validation". */
    public static final int ALL = -1;

    private final Path folder;
    private final int trainExamples;
    private final int validationExamples;
    private final int testExamples;
    private final long seed;

    private Cifar10Loader(Builder b) {
        this.folder = b.folder;
        this.trainExamples = b.trainExamples;
        this.validationExamples = b.validationExamples;
        this.testExamples = b.testExamples;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where DL4J's {@code Cifar10DataSetIterator} keeps its download: {@code ~/.deeplearning4j/data/cifar10}, or
     * under the folder set with {@code -Dorg.deeplearning4j.resources.directory}.
     */
    public static Path dl4jCacheFolder() {
        String base = System.getProperty("org.deeplearning4j.resources.directory");
        Path root = base != null ? Paths.get(base) : Paths.get(System.getProperty("user.home"), ".deeplearning4j");
        return root.resolve("data").resolve(Cifar10Format.DL4J_SUBFOLDER);
    }

    /**
     * Reads the configured examples.
     *
     * @throws Cifar10DataNotFoundException when the folder holds neither layout; the message says how to get it
     * @throws IllegalArgumentException     when fewer examples exist than requested, or a file is malformed
     */
    public Cifar10Data load() {
        Cifar10Format.Located located = Cifar10Format.detect(folder)
                .orElseThrow(() -> new Cifar10DataNotFoundException(howToGetData(folder)));
        try {
            Cifar10Source trainSource;
            Cifar10Source testSource = null;
            List<String> labelNames;
            Path root = located.folder();
            if (located.format() == Cifar10Format.TORONTO_BINARY) {
                trainSource = new Cifar10BinarySource(Cifar10BinarySource.trainFiles(root));
                if (testExamples != 0) {
                    testSource = new Cifar10BinarySource(List.of(root.resolve("test_batch.bin")));
                }
                labelNames = binaryLabelNames(root);
            } else {
                Cifar10PngSource train = new Cifar10PngSource(root.resolve("train"), null);
                trainSource = train;
                if (testExamples != 0) {
                    testSource = new Cifar10PngSource(root.resolve("test"), train.classFolders());
                }
                labelNames = pngLabelNames(root, train.classFolders());
            }
            if (labelNames.size() > NUM_CLASSES) {
                throw new IllegalArgumentException("CIFAR-10 has 10 classes but " + root + " has "
                        + labelNames.size() + ": " + labelNames);
            }
            int available = trainSource.size();
            int nTrain = trainExamples == ALL ? available - validationExamples : trainExamples;
            if (nTrain < 0 || nTrain + validationExamples > available) {
                throw new IllegalArgumentException("Requested " + (trainExamples == ALL ? "all" : trainExamples)
                        + " training + " + validationExamples + " validation examples but " + root + " holds only "
                        + available + " training examples");
            }
            Random random = new Random(seed);
            int[] order = permutation(available, random);
            DataSet train = nTrain == 0 ? null : read(trainSource, order, 0, nTrain);
            DataSet validation = validationExamples == 0 ? null
                    : read(trainSource, order, nTrain, validationExamples);
            DataSet test = null;
            if (testSource != null) {
                int nTest = testExamples == ALL ? testSource.size() : testExamples;
                if (nTest > testSource.size()) {
                    throw new IllegalArgumentException("Requested " + nTest + " test examples but " + root
                            + " holds only " + testSource.size());
                }
                test = nTest == 0 ? null : read(testSource, permutation(testSource.size(), random), 0, nTest);
            }
            log.info("Read CIFAR-10 ({}) from {}: {} train, {} validation, {} test examples", located.format(), root,
                    nTrain, validationExamples, test == null ? 0 : test.numExamples());
            return new Cifar10Data(train, validation, test, labelNames, located.format());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read CIFAR-10 from " + located.folder() + ": "
                    + e.getMessage(), e);
        }
    }

    private static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static DataSet read(Cifar10Source source, int[] order, int from, int count) throws IOException {
        int[] pixels = new int[count * Cifar10Source.VALUES];
        float[] oneHot = new float[count * NUM_CLASSES];
        for (int i = 0; i < count; i++) {
            int label = source.read(order[from + i], pixels, i * Cifar10Source.VALUES);
            oneHot[i * NUM_CLASSES + label] = 1f;
        }
        float[] scaled = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            scaled[i] = pixels[i] / 255f;
        }
        INDArray features = Nd4j.create(scaled, new long[]{count, 3, 32, 32}, DataType.FLOAT);
        INDArray labels = Nd4j.create(oneHot, new long[]{count, NUM_CLASSES}, DataType.FLOAT);
        return new DataSet(features, labels);
    }

    /** Class names of the binary version: {@code batches.meta.txt} when present, else the published names. */
    private static List<String> binaryLabelNames(Path root) throws IOException {
        Path meta = root.resolve("batches.meta.txt");
        if (Files.isRegularFile(meta)) {
            List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (names.size() == NUM_CLASSES) {
                return names;
            }
            log.warn("{} has {} names, expected 10; using the standard CIFAR-10 class names", meta, names.size());
        }
        return BINARY_CLASS_NAMES;
    }

    /** Class names of the PNG layout: mapped through {@code labels.txt} ({@code folder\tname}) when present. */
    private static List<String> pngLabelNames(Path root, List<String> classFolders) throws IOException {
        Path labelsFile = root.resolve("labels.txt");
        if (!Files.isRegularFile(labelsFile)) {
            return classFolders;
        }
        Map<String, String> names = new HashMap<>();
        for (String line : Files.readAllLines(labelsFile, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t");
            if (parts.length == 2) {
                names.put(parts[0].trim(), parts[1].trim());
            }
        }
        List<String> result = new ArrayList<>();
        for (String folderName : classFolders) {
            result.add(names.getOrDefault(folderName, folderName));
        }
        return result;
    }

    static String howToGetData(Path folder) {
        return "No CIFAR-10 data found in " + folder + " (also looked in its sub-folders "
                + Cifar10Format.BINARY_SUBFOLDER + "/ and " + Cifar10Format.DL4J_SUBFOLDER + "/). Either:\n"
                + "  (a) download the binary version https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, run"
                + " `tar xzf cifar-10-binary.tar.gz` and pass the folder cifar-10-batches-bin (data_batch_1.bin ..."
                + " data_batch_5.bin, test_batch.bin), or\n"
                + "  (b) on a machine with internet run DL4J's `new Cifar10DataSetIterator(32)` once, which downloads"
                + " the PNG layout to " + dl4jCacheFolder() + " (train/<class>/*.png, test/<class>/*.png,"
                + " labels.txt), and pass that folder.";
    }

    /** Validating builder for {@link Cifar10Loader}. */
    public static final class Builder {
        private Path folder;
        private int trainExamples = ALL;
        private int validationExamples = 0;
        private int testExamples = ALL;
        private long seed = 12345;

        private Builder() {
        }

        /** The folder holding CIFAR-10 (or its parent); required. */
        public Builder folder(Path folder) {
            this.folder = folder;
            return this;
        }

        /** Number of training examples, or {@link #ALL} (default) for all not used for validation. */
        public Builder trainExamples(int n) {
            if (n < 0 && n != ALL) {
                throw new IllegalArgumentException("trainExamples must be >= 0 or ALL, got " + n);
            }
            this.trainExamples = n;
            return this;
        }

        /** Number of validation examples taken from the training files, disjoint from the training examples. */
        public Builder validationExamples(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("validationExamples must be >= 0, got " + n);
            }
            this.validationExamples = n;
            return this;
        }

        /** Number of test examples, {@link #ALL} (default), or 0 to skip the test files. */
        public Builder testExamples(int n) {
            if (n < 0 && n != ALL) {
                throw new IllegalArgumentException("testExamples must be >= 0 or ALL, got " + n);
            }
            this.testExamples = n;
            return this;
        }

        /** Seed of the subset draw (same seed, same examples in the same order). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Cifar10Loader build() {
            if (folder == null) {
                throw new IllegalArgumentException("folder is required");
            }
            return new Cifar10Loader(this);
        }
    }

    /** The first folder among {@code candidates} that holds CIFAR-10, if any. */
    public static Optional<Path> firstWithData(List<Path> candidates) {
        return candidates.stream().filter(p -> Cifar10Format.detect(p).isPresent()).findFirst();
    }
}
