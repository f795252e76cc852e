package dev.dl4jfms.graph;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Permutation-invariant summary statistics of a set of parameter values (Unterthiner et al. 2020): mean,
 * standard deviation (population), the 0/25/50/75/100% quantiles (linear interpolation), L1 norm and L2 norm —
 * {@link #COUNT} values, computed with ND4J reductions and one sort.
 */
public final class WeightStatistics {

    /** Number of statistics per set of values. */
    public static final int COUNT = 9;

    /** Names of the statistics, in order. */
    public static final String[] NAMES = {"mean", "std", "q0", "q25", "q50", "q75", "q100", "l1", "l2"};

    private static final double[] QUANTILES = {0.0, 0.25, 0.5, 0.75, 1.0};

    private WeightStatistics() {
    }

    /** The statistics of all elements of {@code values} (any shape); all zeros when {@code values} is null/empty. */
    public static double[] of(INDArray values) {
        double[] out = new double[COUNT];
        if (values == null || values.length() == 0) {
            return out;
        }
        INDArray flat = values.reshape(values.length()).castTo(DataType.DOUBLE);
        out[0] = flat.meanNumber().doubleValue();
        out[1] = flat.length() > 1 ? flat.stdNumber(false).doubleValue() : 0.0;
        INDArray sorted = Nd4j.sort(flat.dup(), true);
        long n = sorted.length();
        for (int q = 0; q < QUANTILES.length; q++) {
            double pos = QUANTILES[q] * (n - 1);
            long lo = (long) Math.floor(pos);
            long hi = Math.min(n - 1, lo + 1);
            double frac = pos - lo;
            out[2 + q] = sorted.getDouble(lo) * (1 - frac) + sorted.getDouble(hi) * frac;
        }
        out[7] = flat.norm1Number().doubleValue();
        out[8] = flat.norm2Number().doubleValue();
        return out;
    }
}
