package dev.dl4jfms.examples.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a {@link PngChart}: a data range, linear or base-10 logarithmic scale, and the mapping between data
 * values and pixel positions along the axis. Immutable.
 */
public final class ChartAxis {

    private final double min;
    private final double max;
    private final boolean log;

    /**
     * @param min smallest data value shown (must be &gt; 0 on a log axis)
     * @param max largest data value shown (&gt; min)
     * @param log whether the axis is base-10 logarithmic
     */
    public ChartAxis(double min, double max, boolean log) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException("axis range must be finite with max > min, got [" + min + ", " + max + "]");
        }
        if (log && min <= 0) {
            throw new IllegalArgumentException("log axis needs a positive range, got min=" + min);
        }
        this.min = min;
        this.max = max;
        this.log = log;
    }

    public double min() { return min; }

    public double max() { return max; }

    public boolean isLog() { return log; }

    /** Fraction 0..1 of the axis length where {@code value} lies (outside 0..1 when out of range). */
    public double fraction(double value) {
        if (log) {
            return (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (value - min) / (max - min);
    }

    /**
     * Tick positions inside the range: decades (plus 2 and 5 multiples when the range spans few decades) on a log
     * axis, "nice" 1-2-5 steps on a linear axis.
     */
    public List<Double> ticks() {
        if (log) {
            List<Double> ticks = logTicks(new double[] {1});
            if (ticks.size() < 3) {
                ticks = logTicks(new double[] {1, 2, 5});
            }
            if (ticks.size() >= 2) {
                return ticks;
            }
        }
        return linearTicks(min, max, 6);
    }

    private List<Double> logTicks(double[] multiples) {
        List<Double> ticks = new ArrayList<>();
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(max));
        for (int e = lo; e <= hi; e++) {
            for (double m : multiples) {
                double v = m * Math.pow(10, e);
                if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                    ticks.add(v);
                }
            }
        }
        // Many decades: thin out so labels do not collide.
        while (ticks.size() > 10) {
            List<Double> thinned = new ArrayList<>();
            for (int i = 0; i < ticks.size(); i += 2) {
                thinned.add(ticks.get(i));
            }
            ticks = thinned;
        }
        return ticks;
    }

    static List<Double> linearTicks(double min, double max, int target) {
        double step = niceStep((max - min) / target);
        List<Double> ticks = new ArrayList<>();
        double first = Math.ceil(min / step - 1e-9) * step;
        for (double v = first; v <= max + step * 1e-9; v += step) {
            ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return ticks;
    }

    static double niceStep(double raw) {
        double exp = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / exp;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * exp;
    }

    /** A compact label: plain decimals for moderate magnitudes, scientific notation otherwise. */
    public static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            String s = String.format(Locale.ROOT, "%.6f", v);
            s = s.replaceAll("0+$", "");
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
        String s = String.format(Locale.ROOT, "%.1e", v);
        return s.replace(".0e", "e").replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }

    /** The smallest axis covering [lo, hi] with a margin, for auto ranging. */
    static ChartAxis covering(double lo, double hi, boolean log, double padFraction) {
        if (log) {
            double llo = Math.log10(lo);
            double lhi = Math.log10(hi);
            if (lhi - llo < 1e-12) {
                llo -= 0.5;
                lhi += 0.5;
            }
            double pad = (lhi - llo) * padFraction;
            return new ChartAxis(Math.pow(10, llo - pad), Math.pow(10, lhi + pad), true);
        }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double d = Math.max(Math.abs(hi) * 0.1, 0.5);
            lo -= d;
            hi += d;
        }
        double pad = (hi - lo) * padFraction;
        return new ChartAxis(lo - pad, hi + pad, false);
    }
}
