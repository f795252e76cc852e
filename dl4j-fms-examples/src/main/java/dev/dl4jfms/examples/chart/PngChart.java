package dev.dl4jfms.examples.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A small headless line/scatter chart written as PNG with plain {@code java.awt} (no display needed; safe under
 * {@code -Djava.awt.headless=true}). Supports several series with translucent bands, error bars, markers,
 * linear or log axes with labelled ticks, a title, axis labels and a legend on the right.
 *
 * <pre>{@code
 * PngChart.builder().title("Regret").logX(true).logY(true).xLabel("epochs").yLabel("normalized regret")
 *     .series(ChartSeries.builder("random", xs, ys).band(lo, hi).build())
 *     .build().writePng(Path.of("regret.png"));
 * }</pre>
 *
 * The mapping from data to pixels is fixed at {@link Builder#build()} and exposed by {@link #pixelX(double)} and
 * {@link #pixelY(double)} so callers and tests can locate data in the image.
 */
public final class PngChart {

    /** Okabe–Ito colour-blind safe palette, used in order for series without an explicit colour. */
    public static final List<Color> PALETTE = List.of(
            new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
            new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66));

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final int width;
    private final int height;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final ChartAxis xAxis;
    private final ChartAxis yAxis;
    private final List<ChartSeries> series;
    private final List<Color> seriesColors;
    private final Map<String, Color> legend;
    private final Map<Double, String> xTickLabels;
    private final Rectangle plot;

    private PngChart(Builder b, ChartAxis xAxis, ChartAxis yAxis) {
        this.width = b.width;
        this.height = b.height;
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.xAxis = xAxis;
        this.yAxis = yAxis;
        this.series = List.copyOf(b.series);
        this.seriesColors = new ArrayList<>();
        this.legend = new LinkedHashMap<>();
        int next = 0;
        for (ChartSeries s : series) {
            Color c = s.color() != null ? s.color() : PALETTE.get(next++ % PALETTE.size());
            seriesColors.add(c);
            if (s.inLegend()) {
                legend.putIfAbsent(s.name(), c);
            }
        }
        legend.putAll(b.extraLegend);
        this.xTickLabels = b.xTickLabels;
        this.plot = layout();
    }

    public static Builder builder() {
        return new Builder();
    }

    private Rectangle layout() {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            FontMetrics tm = g.getFontMetrics(TICK_FONT);
            int yTickWidth = 0;
            for (double t : yAxis.ticks()) {
                yTickWidth = Math.max(yTickWidth, tm.stringWidth(ChartAxis.label(t)));
            }
            int left = 18 + yTickWidth + (yLabel.isEmpty() ? 0 : 22);
            int top = title.isEmpty() ? 15 : 38;
            int bottom = 28 + (xLabel.isEmpty() ? 0 : 22);
            int right = 18;
            if (!legend.isEmpty()) {
                FontMetrics lm = g.getFontMetrics(LABEL_FONT);
                int w = 0;
                for (String name : legend.keySet()) {
                    w = Math.max(w, lm.stringWidth(name));
                }
                right += Math.min(w, width / 3) + 40;
            }
            int pw = width - left - right;
            int ph = height - top - bottom;
            if (pw < 20 || ph < 20) {
                throw new IllegalArgumentException("chart " + width + "x" + height + " is too small for its labels");
            }
            return new Rectangle(left, top, pw, ph);
        } finally {
            g.dispose();
        }
    }

    /** Horizontal pixel coordinate (image space) of data value {@code x}. */
    public double pixelX(double x) {
        return plot.x + xAxis.fraction(x) * plot.width;
    }

    /** Vertical pixel coordinate (image space, downwards) of data value {@code y}. */
    public double pixelY(double y) {
        return plot.y + plot.height - yAxis.fraction(y) * plot.height;
    }

    public ChartAxis xAxis() { return xAxis; }

    public ChartAxis yAxis() { return yAxis; }

    /** The plot area in image pixels. */
    public Rectangle plotArea() { return new Rectangle(plot); }

    /** Draws the chart into a new RGB image. */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            drawGridAndAxes(g);
            Graphics2D clipped = (Graphics2D) g.create();
            clipped.clip(plot);
            for (int i = 0; i < series.size(); i++) {
                SeriesPainter.drawBand(this, clipped, series.get(i), seriesColors.get(i));
            }
            for (int i = 0; i < series.size(); i++) {
                SeriesPainter.drawSeries(this, clipped, series.get(i), seriesColors.get(i));
            }
            clipped.dispose();
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.draw(plot);
            drawLabels(g);
            drawLegend(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes the chart as a PNG file (parent folders are created). */
    public void writePng(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    /** Renders the chart and returns the PNG bytes. */
    public byte[] toPngBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void drawGridAndAxes(Graphics2D g) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        Map<Double, String> xt = new LinkedHashMap<>();
        if (xTickLabels.isEmpty()) {
            for (double t : xAxis.ticks()) {
                xt.put(t, ChartAxis.label(t));
            }
        } else {
            xt.putAll(xTickLabels);
        }
        for (Map.Entry<Double, String> t : xt.entrySet()) {
            double px = pixelX(t.getKey());
            if (px < plot.x - 0.5 || px > plot.x + plot.width + 0.5) {
                continue;
            }
            g.setColor(new Color(232, 232, 232));
            g.draw(new Line2D.Double(px, plot.y, px, plot.y + plot.height));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(px, plot.y + plot.height, px, plot.y + plot.height + 4));
            String s = fit(t.getValue(), fm, plot.width / Math.max(1, xt.size()) - 6);
            g.drawString(s, (float) (px - fm.stringWidth(s) / 2.0), plot.y + plot.height + 6 + fm.getAscent());
        }
        for (double t : yAxis.ticks()) {
            double py = pixelY(t);
            g.setColor(new Color(232, 232, 232));
            g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
            g.setColor(Color.DARK_GRAY);
            g.draw(new Line2D.Double(plot.x - 4, py, plot.x, py));
            String s = ChartAxis.label(t);
            g.drawString(s, plot.x - 7 - fm.stringWidth(s), (float) (py + fm.getAscent() / 2.0 - 1));
        }
    }

    private void drawLabels(Graphics2D g) {
        g.setColor(Color.BLACK);
        if (!title.isEmpty()) {
            g.setFont(TITLE_FONT);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, Math.max(4, plot.x + (plot.width - fm.stringWidth(title)) / 2), 24);
        }
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, plot.x + (plot.width - fm.stringWidth(xLabel)) / 2, height - 10);
        }
        if (!yLabel.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(plot.y + (plot.height + fm.stringWidth(yLabel)) / 2), 18);
            g.setTransform(saved);
        }
    }

    private void drawLegend(Graphics2D g) {
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int x = plot.x + plot.width + 14;
        int y = plot.y + 6;
        for (Map.Entry<String, Color> e : legend.entrySet()) {
            g.setColor(e.getValue());
            g.fillRect(x, y + 3, 18, 5);
            g.setColor(Color.BLACK);
            g.drawString(fit(e.getKey(), fm, width - x - 28), x + 24, y + fm.getAscent() - 3);
            y += fm.getHeight() + 4;
        }
    }

    /** Shortens {@code s} with an ellipsis until it is at most {@code width} pixels wide. */
    private static String fit(String s, FontMetrics fm, int width) {
        String out = s;
        while (out.length() > 1 && fm.stringWidth(out) > width) {
            out = out.substring(0, out.length() - (out.endsWith("…") ? 2 : 1)) + "…";
        }
        return out;
    }

    static boolean finite(double... v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    /** Validating builder for {@link PngChart}. */
    public static final class Builder {
        private int width = 900;
        private int height = 540;
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean logY;
        private double[] xRange;
        private double[] yRange;
        private final List<ChartSeries> series = new ArrayList<>();
        private final Map<String, Color> extraLegend = new LinkedHashMap<>();
        private final Map<Double, String> xTickLabels = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder size(int width, int height) {
            if (width < 100 || height < 80) {
                throw new IllegalArgumentException("chart size must be at least 100x80 pixels, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder title(String title) { this.title = Objects.requireNonNull(title, "title"); return this; }

        public Builder xLabel(String label) { this.xLabel = Objects.requireNonNull(label, "xLabel"); return this; }

        public Builder yLabel(String label) { this.yLabel = Objects.requireNonNull(label, "yLabel"); return this; }

        /** Base-10 logarithmic x axis; every finite x value must then be &gt; 0. */
        public Builder logX(boolean log) { this.logX = log; return this; }

        /** Base-10 logarithmic y axis; every finite y, band and error-bar top value must then be &gt; 0. */
        public Builder logY(boolean log) { this.logY = log; return this; }

        /** Fixed x range instead of the data range. */
        public Builder xRange(double min, double max) { this.xRange = new double[] {min, max}; return this; }

        /** Fixed y range instead of the data range. */
        public Builder yRange(double min, double max) { this.yRange = new double[] {min, max}; return this; }

        public Builder series(ChartSeries s) { series.add(Objects.requireNonNull(s, "series")); return this; }

        /** A legend entry not tied to one series (e.g. one entry per status for many learning curves). */
        public Builder legendEntry(String label, Color color) {
            extraLegend.put(Objects.requireNonNull(label, "legend label"), Objects.requireNonNull(color, "legend color"));
            return this;
        }

        /** Replaces the automatic x ticks with labelled positions (e.g. trial names along a categorical axis). */
        public Builder xTick(double position, String label) {
            xTickLabels.put(position, Objects.requireNonNull(label, "tick label"));
            return this;
        }

        /**
         * Validates the data against the axes and fixes the layout.
         *
         * @throws IllegalArgumentException when there is no finite point, or a log axis meets a non-positive value
         */
        public PngChart build() {
            double[] xs = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            double[] ys = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (ChartSeries s : series) {
                for (int i = 0; i < s.x().length; i++) {
                    double x = s.x()[i];
                    if (!Double.isFinite(x)) {
                        continue;
                    }
                    checkLog(logX, "x", s, i, x);
                    boolean any = false;
                    any |= include(ys, s, i, s.y()[i]);
                    if (s.lower() != null) {
                        any |= include(ys, s, i, s.lower()[i]);
                        any |= include(ys, s, i, s.upper()[i]);
                    }
                    if (s.errorHalfWidth() != null && Double.isFinite(s.y()[i])) {
                        double h = s.errorHalfWidth()[i];
                        any |= include(ys, s, i, s.y()[i] + h);
                        double lo = s.y()[i] - h;
                        if (!logY || lo > 0) {
                            any |= include(ys, s, i, lo);
                        }
                    }
                    if (any) {
                        xs[0] = Math.min(xs[0], x);
                        xs[1] = Math.max(xs[1], x);
                    }
                }
            }
            boolean noData = xs[0] > xs[1];
            if (noData && (xRange == null || yRange == null)) {
                throw new IllegalArgumentException("chart '" + title + "' has no finite data point; give xRange and yRange"
                        + " to draw an empty chart");
            }
            ChartAxis x = xRange != null ? new ChartAxis(xRange[0], xRange[1], logX)
                    : ChartAxis.covering(xs[0], xs[1], logX, 0.03);
            ChartAxis y = yRange != null ? new ChartAxis(yRange[0], yRange[1], logY)
                    : ChartAxis.covering(ys[0], ys[1], logY, 0.05);
            return new PngChart(this, x, y);
        }

        private boolean include(double[] range, ChartSeries s, int i, double v) {
            if (!Double.isFinite(v)) {
                return false;
            }
            checkLog(logY, "y", s, i, v);
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], v);
            return true;
        }

        private static void checkLog(boolean log, String axis, ChartSeries s, int i, double v) {
            if (log && v <= 0) {
                throw new IllegalArgumentException("series '" + s.name() + "' has " + axis + "=" + v + " at point " + i
                        + " but the " + axis + " axis is logarithmic and needs values > 0 (clip or drop such points)");
            }
        }
    }
}
