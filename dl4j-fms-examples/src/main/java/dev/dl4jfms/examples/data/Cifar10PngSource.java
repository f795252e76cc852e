package dev.dl4jfms.examples.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads one split ({@code train} or {@code test}) of DL4J's PNG layout of CIFAR-10: one sub-folder per class,
 * 32×32 RGB PNG files inside. Class folders are ordered by name, as DL4J's {@code ImageRecordReader} orders the
 * labels it derives from parent folders, so label indices agree with DL4J's {@code Cifar10DataSetIterator}.
 * Pixels come out in R, G, B order (OpenCV-based DL4J readers give B, G, R).
 */
final class Cifar10PngSource implements Cifar10Source {

    private final List<Path> images = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final List<String> classFolders;

    /**
     * @param splitFolder    e.g. {@code <root>/train}
     * @param classFolders   the class folder names defining label indices (from the training split), or null to
     *                       derive them from {@code splitFolder}
     */
    Cifar10PngSource(Path splitFolder, List<String> classFolders) throws IOException {
        if (!Files.isDirectory(splitFolder)) {
            throw new IllegalArgumentException("CIFAR-10 PNG folder not found: " + splitFolder);
        }
        this.classFolders = classFolders != null ? List.copyOf(classFolders) : listClassFolders(splitFolder);
        for (int label = 0; label < this.classFolders.size(); label++) {
            Path classFolder = splitFolder.resolve(this.classFolders.get(label));
            if (!Files.isDirectory(classFolder)) {
                continue; // a class may be absent from a small test split
            }
            try (Stream<Path> files = Files.list(classFolder)) {
                for (Path image : files.filter(Cifar10PngSource::isPng).sorted().toList()) {
                    images.add(image);
                    labels.add(label);
                }
            }
        }
        if (classFolders != null) {
            for (String found : listClassFolders(splitFolder)) {
                if (!classFolders.contains(found)) {
                    throw new IllegalArgumentException("Class folder " + splitFolder.resolve(found)
                            + " does not exist in the training split; known classes: " + classFolders);
                }
            }
        }
    }

    private static boolean isPng(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }

    private static List<String> listClassFolders(Path splitFolder) throws IOException {
        try (Stream<Path> children = Files.list(splitFolder)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Class folder names in label-index order. */
    List<String> classFolders() {
        return classFolders;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int read(int index, int[] pixels, int offset) throws IOException {
        Path file = images.get(index);
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("Not a readable PNG image: " + file);
        }
        if (image.getWidth() != 32 || image.getHeight() != 32) {
            throw new IOException("CIFAR-10 images are 32x32 but " + file + " is " + image.getWidth() + "x"
                    + image.getHeight());
        }
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int rgb = image.getRGB(x, y);
                int p = offset + y * 32 + x;
                pixels[p] = (rgb >> 16) & 0xFF;
                pixels[p + PIXELS] = (rgb >> 8) & 0xFF;
                pixels[p + 2 * PIXELS] = rgb & 0xFF;
            }
        }
        return labels.get(index);
    }
}
