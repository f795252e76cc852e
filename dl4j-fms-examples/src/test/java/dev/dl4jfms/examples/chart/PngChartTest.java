package dev.dl4jfms.examples.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngChartTest {

    private static final Color RED = new Color(255, 0, 0);

    @Test
    void writesValidPngOfRequestedSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/chart.png");
        PngChart.builder().size(640, 400).title("t").xLabel("epochs").yLabel("regret")
                .series(ChartSeries.builder("a", new double[] {1, 2, 3}, new double[] {3, 1, 2}).build())
                .build().writePng(file);
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            byte[] sig = new byte[8];
            data.readFully(sig);
            assertEquals(0x89, sig[0] & 0xff);
            assertEquals("PNG", new String(sig, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
            data.readInt(); // IHDR length
            byte[] type = new byte[4];
            data.readFully(type);
            assertEquals("IHDR", new String(type, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(640, data.readInt());
            assertEquals(400, data.readInt());
        }
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
    }

    @Test
    void singlePointLandsWhereTheLinearAxesSay() {
        PngChart chart = PngChart.builder().size(500, 400).xRange(0, 10).yRange(0, 100)
                .series(ChartSeries.builder("p", new double[] {2.5}, new double[] {75}).color(RED)
                        .line(false).markers(true).markerSize(9).build())
                .build();
        Rectangle plot = chart.plotArea();
        // Independent mapping: x=2.5 is a quarter of the way across, y=75 a quarter of the way down.
        double px = plot.x + 0.25 * plot.width;
        double py = plot.y + 0.25 * plot.height;
        assertEquals(px, chart.pixelX(2.5), 1e-9);
        assertEquals(py, chart.pixelY(75), 1e-9);
        BufferedImage img = chart.render();
        assertEquals(RED.getRGB(), img.getRGB((int) Math.round(px), (int) Math.round(py)));
        // Far from the point (same plot area) there is no red.
        assertNotEquals(RED.getRGB(), img.getRGB((int) Math.round(px) + 40, (int) Math.round(py) + 40));
    }

    @Test
    void logAxesPlaceGeometricMidpointAtPixelMidpoint() {
        // Segment (1,1)-(100,100) on log-log axes: the point (10,10) is its middle, and at half of each axis.
        PngChart chart = PngChart.builder().size(500, 500).logX(true).logY(true).xRange(1, 100).yRange(1, 100)
                .series(ChartSeries.builder("l", new double[] {1, 100}, new double[] {1, 100}).color(RED)
                        .lineWidth(3f).build())
                .build();
        Rectangle plot = chart.plotArea();
        double mx = plot.x + plot.width / 2.0;
        double my = plot.y + plot.height / 2.0;
        assertEquals(mx, chart.pixelX(10), 1e-9);
        assertEquals(my, chart.pixelY(10), 1e-9);
        // The segment runs corner to corner of the plot area, so its pixel midpoint is the plot centre.
        BufferedImage img = chart.render();
        assertEquals(RED.getRGB(), img.getRGB((int) Math.round(mx), (int) Math.round(my)));
    }

    @Test
    void bandIsTranslucentFillAroundTheLine() {
        Color blue = new Color(0, 0, 255);
        PngChart chart = PngChart.builder().size(400, 300).xRange(0, 10).yRange(0, 10)
                .series(ChartSeries.builder("b", new double[] {0, 10}, new double[] {5, 5})
                        .band(new double[] {2, 2}, new double[] {8, 8}).color(blue).build())
                .build();
        BufferedImage img = chart.render();
        Color inBand = new Color(img.getRGB((int) chart.pixelX(5), (int) chart.pixelY(3)));
        Color outside = new Color(img.getRGB((int) chart.pixelX(5), (int) chart.pixelY(9)));
        assertTrue(inBand.getBlue() > inBand.getRed() + 50, "band should be tinted blue: " + inBand);
        assertTrue(inBand.getRed() > 100, "band should be translucent, not solid: " + inBand);
        assertEquals(outside.getRed(), outside.getBlue(), "outside the band no blue tint: " + outside);
    }

    @Test
    void errorBarSpansTwoSigma() {
        PngChart chart = PngChart.builder().size(400, 300).xRange(0, 2).yRange(0, 10)
                .series(ChartSeries.builder("e", new double[] {1}, new double[] {5}).color(RED).line(false)
                        .markers(true).errorBars(new double[] {3}).build())
                .build();
        BufferedImage img = chart.render();
        int px = (int) Math.round(chart.pixelX(1));
        assertEquals(RED.getRGB(), img.getRGB(px, (int) Math.round(chart.pixelY(7.5))));
        assertEquals(RED.getRGB(), img.getRGB(px, (int) Math.round(chart.pixelY(2.5))));
        assertNotEquals(RED.getRGB(), img.getRGB(px, (int) Math.round(chart.pixelY(9.5))));
    }

    @Test
    void logAxisRejectsNonPositiveValuesClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PngChart.builder().logY(true)
                .series(ChartSeries.builder("regret", new double[] {1, 2}, new double[] {0.5, 0.0}).build()).build());
        assertTrue(e.getMessage().contains("regret") && e.getMessage().contains("y=0.0")
                && e.getMessage().contains("logarithmic"), e.getMessage());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> PngChart.builder().logX(true)
                .series(ChartSeries.builder("s", new double[] {-1}, new double[] {1}).build()).build());
        assertTrue(ex.getMessage().contains("x=-1.0"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChartAxis(0, 10, true));
    }

    @Test
    void nonFiniteValuesAreSkippedAndEmptyDataIsAnError() {
        PngChart chart = PngChart.builder()
                .series(ChartSeries.builder("d", new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}).build())
                .build();
        assertTrue(chart.yAxis().min() < 1 && chart.yAxis().max() > 3);
        assertThrows(IllegalArgumentException.class, () -> PngChart.builder()
                .series(ChartSeries.builder("nan", new double[] {1}, new double[] {Double.NaN}).build()).build());
    }

    @Test
    void ticksAreNiceAndInsideTheRange() {
        List<Double> lin = new ChartAxis(0, 1, false).ticks();
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0).size(), lin.size());
        assertEquals(0.2, lin.get(1), 1e-12);
        List<Double> log = new ChartAxis(0.5, 2000, true).ticks();
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0), log);
        List<Double> narrowLog = new ChartAxis(3, 40, true).ticks();
        assertTrue(narrowLog.contains(5.0) && narrowLog.contains(10.0) && narrowLog.contains(20.0), narrowLog.toString());
        assertEquals("0.001", ChartAxis.label(0.001));
        assertEquals("1e-4", ChartAxis.label(1e-4));
        assertEquals("2.5e6", ChartAxis.label(2.5e6));
        assertEquals("250", ChartAxis.label(250));
        assertEquals("0.2", ChartAxis.label(0.2));
    }
}
