package dev.dl4jfms.examples.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Loads an MNIST-format data set (MNIST, Fashion-MNIST) from IDX files into in-memory DL4J {@link DataSet}s.
 *
 * <pre>{@code
 * IdxData data = IdxDataLoader.builder()
 *         .subsetSize(10_000).seed(42).classes(0, 1, 2, 3, 4).validationFraction(0.2)
 *         .build().load();
 * DataSetIterator train = data.trainIterator(128, true);
 * }</pre>
 *
 * <p>Features are flattened images ({@code [n, rows*cols]}, FLOAT), scaled to [0,1] unless normalisation is off.
 * Labels are one-hot over the kept classes ({@code [n, numClasses]}) or, with {@code oneHot(false)}, a column of
 * class indices ({@code [n, 1]}). With a class filter the kept classes are relabelled 0..k-1 in ascending order.
 * The subset is a seeded random sample without replacement of the (filtered) examples; the validation part is
 * taken from that subset. The source folder is only read.
 */
public final class IdxDataLoader {

    private static final Logger log = LoggerFactory.getLogger(IdxDataLoader.class);

    private final Path folder;
    private final boolean testFiles;
    private final int subsetSize;
    private final long seed;
    private final boolean normalize;
    private final boolean oneHot;
    private final int[] classes;
    private final double validationFraction;

    private IdxDataLoader(Builder b) {
        this.folder = b.folder;
        this.testFiles = b.testFiles;
        this.subsetSize = b.subsetSize;
        this.seed = b.seed;
        this.normalize = b.normalize;
        this.oneHot = b.oneHot;
        this.classes = b.classes;
        this.validationFraction = b.validationFraction;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the files and builds the data sets. */
    public IdxData load() {
        Path dir = IdxDataFolders.resolve(folder);
        String prefix = testFiles ? "t10k" : "train";
        Path imageFile = IdxDataFolders.find(dir, prefix + "-images-idx3-ubyte").orElseThrow(() ->
                new IllegalArgumentException("Folder " + dir + " has no " + prefix + "-images-idx3-ubyte[.gz]"));
        Path labelFile = IdxDataFolders.find(dir, prefix + "-labels-idx1-ubyte").orElseThrow(() ->
                new IllegalArgumentException("Folder " + dir + " has no " + prefix + "-labels-idx1-ubyte[.gz]"));
        IdxFiles.Images images = IdxFiles.readImages(imageFile);
        IdxFiles.Labels labels = IdxFiles.readLabels(labelFile);
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException(String.format("%s holds %d images but %s holds %d labels",
                    imageFile, images.count(), labelFile, labels.count()));
        }

        int[] relabel = relabelTable(labels);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < labels.count(); i++) {
            if (relabel[labels.label(i)] >= 0) {
                kept.add(i);
            }
        }
        Collections.shuffle(kept, new Random(seed));
        int n = subsetSize > 0 ? Math.min(subsetSize, kept.size()) : kept.size();
        if (subsetSize > kept.size()) {
            log.warn("Requested {} examples but {} holds only {} of the selected classes; using all",
                    subsetSize, imageFile, kept.size());
        }
        int numClasses = classes != null ? classes.length : maxLabel(labels) + 1;
        int validationCount = (int) Math.round(n * validationFraction);
        List<Integer> validationIdx = kept.subList(0, validationCount);
        List<Integer> trainIdx = kept.subList(validationCount, n);

        DataSet train = toDataSet(images, labels, trainIdx, relabel, numClasses);
        DataSet validation = validationCount > 0 ? toDataSet(images, labels, validationIdx, relabel, numClasses) : null;
        log.debug("Loaded {} training and {} validation examples ({} classes) from {}",
                trainIdx.size(), validationCount, numClasses, dir);
        return new IdxData(train, validation, numClasses, images.rows(), images.cols());
    }

    private int[] relabelTable(IdxFiles.Labels labels) {
        int[] table = new int[256];
        if (classes == null) {
            for (int c = 0; c < 256; c++) {
                table[c] = c;
            }
        } else {
            Arrays.fill(table, -1);
            for (int k = 0; k < classes.length; k++) {
                table[classes[k]] = k;
            }
        }
        return table;
    }

    private static int maxLabel(IdxFiles.Labels labels) {
        int max = 0;
        for (int i = 0; i < labels.count(); i++) {
            max = Math.max(max, labels.label(i));
        }
        return max;
    }

    private DataSet toDataSet(IdxFiles.Images images, IdxFiles.Labels labels, List<Integer> indices,
                              int[] relabel, int numClasses) {
        int n = indices.size();
        int d = images.pixelsPerImage();
        float scale = normalize ? 1f / 255f : 1f;
        float[] features = new float[n * d];
        float[] targets = new float[oneHot ? n * numClasses : n];
        byte[] pixels = images.pixels();
        for (int r = 0; r < n; r++) {
            int src = indices.get(r);
            int offset = src * d;
            for (int j = 0; j < d; j++) {
                features[r * d + j] = (pixels[offset + j] & 0xFF) * scale;
            }
            int label = relabel[labels.label(src)];
            if (oneHot) {
                targets[r * numClasses + label] = 1f;
            } else {
                targets[r] = label;
            }
        }
        INDArray f = Nd4j.create(features, new long[]{n, d}, DataType.FLOAT);
        INDArray l = Nd4j.create(targets, new long[]{n, oneHot ? numClasses : 1}, DataType.FLOAT);
        return new DataSet(f, l);
    }

    /** Validating builder for {@link IdxDataLoader}. */
    public static final class Builder {
        private Path folder;
        private boolean testFiles;
        private int subsetSize;
        private long seed = 12345L;
        private boolean normalize = true;
        private boolean oneHot = true;
        private int[] classes;
        private double validationFraction;

        private Builder() {
        }

        /** Folder holding the IDX files; default: see {@link IdxDataFolders#resolve(Path)}. */
        public Builder folder(Path folder) {
            this.folder = folder;
            return this;
        }

        /** Read the {@code t10k-*} (test) files instead of the {@code train-*} files. */
        public Builder testFiles(boolean testFiles) {
            this.testFiles = testFiles;
            return this;
        }

        /** Number of examples to keep (training + validation); 0 keeps all. */
        public Builder subsetSize(int subsetSize) {
            if (subsetSize < 0) {
                throw new IllegalArgumentException("subsetSize must be >= 0 (0 = all), got " + subsetSize);
            }
            this.subsetSize = subsetSize;
            return this;
        }

        /** Seed of the subset sample and the train/validation split. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Scale pixels to [0,1] (default true); false keeps raw 0..255 values. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** One-hot labels (default true); false gives a single column of class indices. */
        public Builder oneHot(boolean oneHot) {
            this.oneHot = oneHot;
            return this;
        }

        /** Keep only these classes (distinct, 0..255), relabelled 0..k-1 in ascending order. */
        public Builder classes(int... classes) {
            if (classes == null || classes.length == 0) {
                this.classes = null;
                return this;
            }
            TreeSet<Integer> distinct = new TreeSet<>();
            for (int c : classes) {
                if (c < 0 || c > 255) {
                    throw new IllegalArgumentException("class " + c + " is outside 0..255");
                }
                if (!distinct.add(c)) {
                    throw new IllegalArgumentException("class " + c + " is listed twice in " + Arrays.toString(classes));
                }
            }
            this.classes = distinct.stream().mapToInt(Integer::intValue).toArray();
            return this;
        }

        /** Fraction of the subset held out for validation, in [0, 1). Default 0 (no validation set). */
        public Builder validationFraction(double validationFraction) {
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
            }
            this.validationFraction = validationFraction;
            return this;
        }

        public IdxDataLoader build() {
            return new IdxDataLoader(this);
        }
    }
}
