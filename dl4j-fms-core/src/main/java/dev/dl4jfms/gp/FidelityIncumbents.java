package dev.dl4jfms.gp;

import java.util.List;

/**
 * The per-fidelity incumbent of spec section 5: {@code y*_b} is the best value observed <em>at epoch b</em> among
 * configurations trained at least b epochs; if no configuration reached epoch b, the best value observed at any
 * epoch. Values are "higher is better". Ties resolve to the lowest configuration index (reported by
 * {@link #argBestAt(int)}).
 */
public final class FidelityIncumbents {
    private final List<double[]> curves;

    /**
     * @param curves one learning curve per configuration (index = configuration index), values for epochs 1..b_i;
     *               an untried configuration has an empty array
     */
    public FidelityIncumbents(List<double[]> curves) {
        this.curves = List.copyOf(curves);
        for (int i = 0; i < this.curves.size(); i++) {
            if (this.curves.get(i) == null) {
                throw new IllegalArgumentException("curve of configuration " + i + " is null (use an empty array)");
            }
        }
    }

    /** {@code y*_b} for budget (epoch) {@code b ≥ 1}; NaN when nothing has been observed at all. */
    public double incumbentAt(int b) {
        int best = argBestAt(b);
        if (best >= 0) {
            return curves.get(best)[b - 1];
        }
        return bestOverall();
    }

    /** Index of the configuration holding the best value at epoch {@code b}; -1 when none reached epoch b. */
    public int argBestAt(int b) {
        if (b < 1) {
            throw new IllegalArgumentException("budget must be >= 1, got " + b);
        }
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < curves.size(); i++) {
            double[] c = curves.get(i);
            if (c.length >= b && c[b - 1] > bestValue) {
                best = i;
                bestValue = c[b - 1];
            }
        }
        return best;
    }

    /** Best value observed at any epoch of any configuration; NaN when nothing was observed. */
    public double bestOverall() {
        double best = Double.NaN;
        for (double[] c : curves) {
            for (double v : c) {
                if (Double.isNaN(best) || v > best) {
                    best = v;
                }
            }
        }
        return best;
    }
}
