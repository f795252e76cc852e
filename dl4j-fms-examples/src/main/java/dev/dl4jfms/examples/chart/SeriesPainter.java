package dev.dl4jfms.examples.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;

/** Draws one {@link ChartSeries} (band, error bars, line, markers) into a {@link PngChart}'s plot area. */
final class SeriesPainter {

    private SeriesPainter() {
    }

    static void drawBand(PngChart chart, Graphics2D g, ChartSeries s, Color c) {
        double[] lo = s.lower();
        double[] hi = s.upper();
        if (lo == null) {
            return;
        }
        double[] x = s.x();
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
        // One polygon per run of finite points, so gaps in the data leave gaps in the band.
        int i = 0;
        while (i < x.length) {
            while (i < x.length && !PngChart.finite(x[i], lo[i], hi[i])) {
                i++;
            }
            int start = i;
            while (i < x.length && PngChart.finite(x[i], lo[i], hi[i])) {
                i++;
            }
            if (i - start >= 1) {
                Path2D.Double p = new Path2D.Double();
                for (int k = start; k < i; k++) {
                    bandVertex(p, s, k, chart.pixelX(x[k]), chart.pixelY(hi[k]), k == start, true);
                }
                for (int k = i - 1; k >= start; k--) {
                    bandVertex(p, s, k, chart.pixelX(x[k]), chart.pixelY(lo[k]), false, false);
                }
                p.closePath();
                g.fill(p);
            }
        }
    }

    /** Band edges follow the line's shape: steps when the line is a step line. */
    private static void bandVertex(Path2D.Double p, ChartSeries s, int k, double px, double py, boolean first,
                                   boolean forward) {
        if (first) {
            p.moveTo(px, py);
        } else if (s.stepLine()) {
            if (forward) {
                p.lineTo(px, p.getCurrentPoint().getY());
                p.lineTo(px, py);
            } else {
                p.lineTo(p.getCurrentPoint().getX(), py);
                p.lineTo(px, py);
            }
        } else {
            p.lineTo(px, py);
        }
    }

    static void drawSeries(PngChart chart, Graphics2D g, ChartSeries s, Color c) {
        double[] x = s.x();
        double[] y = s.y();
        g.setColor(c);
        if (s.errorHalfWidth() != null) {
            g.setStroke(new BasicStroke(1.5f));
            for (int i = 0; i < x.length; i++) {
                double h = s.errorHalfWidth()[i];
                if (PngChart.finite(x[i], y[i], h)) {
                    double px = chart.pixelX(x[i]);
                    double top = chart.pixelY(y[i] + h);
                    double bottom = chart.pixelY(chart.yAxis().isLog() ? Math.max(y[i] - h, chart.yAxis().min()) : y[i] - h);
                    g.draw(new Line2D.Double(px, top, px, bottom));
                    g.draw(new Line2D.Double(px - 5, top, px + 5, top));
                    g.draw(new Line2D.Double(px - 5, bottom, px + 5, bottom));
                }
            }
        }
        if (s.line()) {
            g.setStroke(new BasicStroke(s.lineWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double p = null;
            double lastY = 0;
            for (int i = 0; i < x.length; i++) {
                if (!PngChart.finite(x[i], y[i])) {
                    if (p != null) {
                        g.draw(p);
                    }
                    p = null;
                    continue;
                }
                double px = chart.pixelX(x[i]);
                double py = chart.pixelY(y[i]);
                if (p == null) {
                    p = new Path2D.Double();
                    p.moveTo(px, py);
                } else {
                    if (s.stepLine()) {
                        p.lineTo(px, lastY);
                    }
                    p.lineTo(px, py);
                }
                lastY = py;
            }
            if (p != null) {
                g.draw(p);
            }
        }
        if (s.markers()) {
            double r = s.markerSize() / 2.0;
            for (int i = 0; i < x.length; i++) {
                if (PngChart.finite(x[i], y[i])) {
                    g.fill(new Ellipse2D.Double(chart.pixelX(x[i]) - r, chart.pixelY(y[i]) - r, 2 * r, 2 * r));
                }
            }
        }
    }
}
