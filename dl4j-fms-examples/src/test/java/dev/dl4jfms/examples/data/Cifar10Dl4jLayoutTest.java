package dev.dl4jfms.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.fetchers.DataSetType;
import org.deeplearning4j.datasets.iterator.impl.Cifar10DataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Proves that the PNG layout {@link Cifar10Loader} reads is the one DL4J's own {@link Cifar10DataSetIterator}
 * reads offline (resources folder pointed at generated files): same labels per image, and pixels that agree up to
 * DL4J's B, G, R channel order and missing scaling.
 */
class Cifar10Dl4jLayoutTest {

    @TempDir
    Path dir;

    @Test
    void dl4jIteratorAndLoaderAgreeOnGeneratedPngLayout() throws Exception {
        // One uniquely coloured image per class: red channel identifies the image.
        String[] classes = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                "truck"}; // DL4J's iterator requires all 10 classes
        Path root = dir.resolve("data/cifar10");
        Map<Integer, Integer> labelByRed = new HashMap<>();
        int red = 0;
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < 1; i++) {
                red += 20;
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        img.setRGB(x, y, (red << 16) | ((x * 7) << 8) | (y * 5));
                    }
                }
                File file = root.resolve("train/" + classes[c] + "/" + i + ".png").toFile();
                Files.createDirectories(file.toPath().getParent());
                ImageIO.write(img, "png", file);
                labelByRed.put(red, c);
            }
        }
        Files.createDirectories(root.resolve("test"));
        StringBuilder labels = new StringBuilder();
        for (String c : classes) {
            labels.append(c).append('\t').append(c).append('\n');
        }
        Files.writeString(root.resolve("labels.txt"), labels);

        File previous = DL4JResources.getBaseDirectory();
        DL4JResources.setBaseDirectory(dir.toFile());
        try {
            Cifar10DataSetIterator it = new Cifar10DataSetIterator(10, null, DataSetType.TRAIN, null, 1);
            assertEquals(List.of(classes), it.getLabels());
            DataSet dl4j = it.next();
            DataSet ours = Cifar10Loader.builder().folder(root).testExamples(0).build().load().train();
            assertEquals(10, dl4j.numExamples());
            for (int n = 0; n < 10; n++) {
                // DL4J: raw 0-255 values, channels B, G, R
                int dl4jRed = Math.round(dl4j.getFeatures().getFloat(n, 2, 3, 4));
                assertEquals(4 * 7, Math.round(dl4j.getFeatures().getFloat(n, 1, 3, 4)));
                assertEquals(3 * 5, Math.round(dl4j.getFeatures().getFloat(n, 0, 3, 4)));
                assertTrue(labelByRed.containsKey(dl4jRed));
                assertEquals((int) labelByRed.get(dl4jRed), dl4j.getLabels().getRow(n).argMax().getInt(0));
            }
            for (int n = 0; n < 10; n++) {
                int ourRed = Math.round(ours.getFeatures().getFloat(n, 0, 3, 4) * 255);
                assertEquals(4 * 7 / 255f, ours.getFeatures().getFloat(n, 1, 3, 4), 1e-7);
                assertEquals(3 * 5 / 255f, ours.getFeatures().getFloat(n, 2, 3, 4), 1e-7);
                assertEquals((int) labelByRed.get(ourRed), ours.getLabels().getRow(n).argMax().getInt(0));
            }
        } finally {
            DL4JResources.setBaseDirectory(previous);
        }
    }
}
