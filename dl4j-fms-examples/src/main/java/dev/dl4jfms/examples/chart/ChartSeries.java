package dev.dl4jfms.examples.chart;

import java.awt.Color;
import java.util.Arrays;
import java.util.Objects;

/**
 * One data series of a {@link PngChart}: points joined by a line and/or drawn as markers, with an optional
 * translucent band (lower/upper per point) and optional vertical error bars (half-width per point).
 * Non-finite y values break the line (they are skipped). Build with {@link #builder(String, double[], double[])}.
 */
public final class ChartSeries {

    private final String name;
    private final double[] x;
    private final double[] y;
    private final double[] lower;
    private final double[] upper;
    private final double[] errorHalfWidth;
    private final Color color;
    private final boolean line;
    private final boolean markers;
    private final boolean stepLine;
    private final boolean inLegend;
    private final float lineWidth;
    private final int markerSize;

    private ChartSeries(Builder b) {
        this.name = b.name;
        this.x = b.x;
        this.y = b.y;
        this.lower = b.lower;
        this.upper = b.upper;
        this.errorHalfWidth = b.errorHalfWidth;
        this.color = b.color;
        this.line = b.line;
        this.markers = b.markers;
        this.stepLine = b.stepLine;
        this.inLegend = b.inLegend;
        this.lineWidth = b.lineWidth;
        this.markerSize = b.markerSize;
    }

    /**
     * @param name legend label (also named in error messages)
     * @param x    x values (copied)
     * @param y    y values, same length as x (copied)
     */
    public static Builder builder(String name, double[] x, double[] y) {
        return new Builder(name, x, y);
    }

    public String name() { return name; }
    double[] x() { return x; }
    double[] y() { return y; }
    double[] lower() { return lower; }
    double[] upper() { return upper; }
    double[] errorHalfWidth() { return errorHalfWidth; }
    Color color() { return color; }
    boolean line() { return line; }
    boolean markers() { return markers; }
    boolean stepLine() { return stepLine; }
    boolean inLegend() { return inLegend; }
    float lineWidth() { return lineWidth; }
    int markerSize() { return markerSize; }

    /** Validating builder for {@link ChartSeries}. */
    public static final class Builder {
        private final String name;
        private final double[] x;
        private final double[] y;
        private double[] lower;
        private double[] upper;
        private double[] errorHalfWidth;
        private Color color;
        private boolean line = true;
        private boolean markers;
        private boolean stepLine;
        private boolean inLegend = true;
        private float lineWidth = 2f;
        private int markerSize = 7;

        private Builder(String name, double[] x, double[] y) {
            this.name = Objects.requireNonNull(name, "series name");
            Objects.requireNonNull(x, "x values of series '" + name + "'");
            Objects.requireNonNull(y, "y values of series '" + name + "'");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
            this.x = x.clone();
            this.y = y.clone();
        }

        /** Color of line, markers, band (translucent) and error bars; default: next palette color. */
        public Builder color(Color color) { this.color = color; return this; }

        /** A band from lower[i] to upper[i] drawn as a translucent fill behind the line. */
        public Builder band(double[] lower, double[] upper) {
            checkLength("band lower", lower);
            checkLength("band upper", upper);
            this.lower = lower.clone();
            this.upper = upper.clone();
            return this;
        }

        /** Vertical error bars y[i] ± halfWidth[i] (e.g. 2σ). */
        public Builder errorBars(double[] halfWidth) {
            checkLength("error bar", halfWidth);
            for (double h : halfWidth) {
                if (h < 0) {
                    throw new IllegalArgumentException("series '" + name + "': negative error bar half-width " + h);
                }
            }
            this.errorHalfWidth = halfWidth.clone();
            return this;
        }

        /** Whether points are joined by a line (default true). */
        public Builder line(boolean line) { this.line = line; return this; }

        /** Draw the line as a step function (horizontal then vertical), e.g. for incumbent curves. */
        public Builder step(boolean step) { this.stepLine = step; return this; }

        /** Whether each point gets a filled circle marker (default false). */
        public Builder markers(boolean markers) { this.markers = markers; return this; }

        /** Whether the series gets its own legend entry (default true). */
        public Builder inLegend(boolean inLegend) { this.inLegend = inLegend; return this; }

        public Builder lineWidth(float width) {
            if (!(width > 0)) {
                throw new IllegalArgumentException("line width must be > 0, got " + width);
            }
            this.lineWidth = width;
            return this;
        }

        public Builder markerSize(int pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("marker size must be >= 1 pixel, got " + pixels);
            }
            this.markerSize = pixels;
            return this;
        }

        private void checkLength(String what, double[] values) {
            Objects.requireNonNull(values, what + " values of series '" + name + "'");
            if (values.length != x.length) {
                throw new IllegalArgumentException("series '" + name + "': " + values.length + " " + what
                        + " values but " + x.length + " points");
            }
        }

        public ChartSeries build() {
            if (!line && !markers) {
                throw new IllegalArgumentException("series '" + name + "' draws neither line nor markers");
            }
            return new ChartSeries(this);
        }
    }

    @Override
    public String toString() {
        return "ChartSeries[" + name + ", " + x.length + " points, x=" + Arrays.toString(Arrays.copyOf(x, Math.min(3, x.length))) + "...]";
    }
}
