package dev.dl4jfms.gp.bench;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Synthetic learning curves whose shape depends on the configuration, for checking and benchmarking forecasters:
 * configurations x ∈ [0,1]², curves {@code y_t = a(x)(1 - exp(-b(x) t)) + noise} with
 * {@code a = 0.5 + 0.4 x₀} and {@code b = 0.08 + 0.6 x₁²}, t = 1..maxEpochs. Also the two scores used on them:
 * Kendall τ of predicted against true values and the coverage of 90% predictive intervals.
 *
 * <p>Used by {@link ForecastQualityBenchmark} and the deep-kernel forecaster's tests, so both see the same curves.
 * (The study tests' {@code SyntheticCurves} is a different fixture: 3-d, crossing curves, divergent candidates.)
 */
public final class SaturatingCurves {

    /** Half-width of a central 90% normal interval, in standard deviations. */
    public static final double Z90 = 1.6449;

    private final double[][] configs;
    private final double[][] curves;
    private final int maxEpochs;

    private SaturatingCurves(double[][] configs, double[][] curves, int maxEpochs) {
        this.configs = configs;
        this.curves = curves;
        this.maxEpochs = maxEpochs;
    }

    /**
     * Draws {@code count} configurations with their curves; for each, first its two coordinates, then its
     * {@code maxEpochs} noise values, from {@code random} (which the caller may go on using).
     *
     * @param noise standard deviation of the Gaussian noise added to every epoch's value
     */
    public static SaturatingCurves draw(int count, int maxEpochs, double noise, Random random) {
        if (count < 1 || maxEpochs < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("need count >= 1, maxEpochs >= 1 and noise >= 0, got count " + count
                    + ", maxEpochs " + maxEpochs + ", noise " + noise);
        }
        double[][] configs = new double[count][];
        double[][] curves = new double[count][];
        for (int i = 0; i < count; i++) {
            configs[i] = new double[] {random.nextDouble(), random.nextDouble()};
            double a = 0.5 + 0.4 * configs[i][0];
            double b = 0.08 + 0.6 * configs[i][1] * configs[i][1];
            curves[i] = new double[maxEpochs];
            for (int t = 1; t <= maxEpochs; t++) {
                curves[i][t - 1] = a * (1 - Math.exp(-b * t)) + noise * random.nextGaussian();
            }
        }
        return new SaturatingCurves(configs, curves, maxEpochs);
    }

    /** Number of configurations. */
    public int size() {
        return configs.length;
    }

    /** Epochs of every curve. */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** Configuration {@code i} (the stored array: do not modify). */
    public double[] config(int i) {
        return configs[i];
    }

    /** Curve {@code i}, values of epochs 1..maxEpochs (the stored array: do not modify). */
    public double[] curve(int i) {
        return curves[i];
    }

    /** The value of configuration {@code i} at {@code epoch} (1-based). */
    public double value(int i, int epoch) {
        return curves[i][epoch - 1];
    }

    /**
     * Observations of epochs 1..{@code epochs} of configuration {@code i}, each with the curve before it.
     *
     * @param weightsKeyPrefix null for no weights keys, else keys {@code prefix + i + "-" + (epoch - 1)}
     */
    public List<CurveObservation> rows(int i, int epochs, String weightsKeyPrefix) {
        List<CurveObservation> out = new ArrayList<>(epochs);
        for (int t = 1; t <= epochs; t++) {
            String key = weightsKeyPrefix == null ? null : weightsKeyPrefix + i + "-" + (t - 1);
            out.add(new CurveObservation(configs[i], t, maxEpochs, Arrays.copyOf(curves[i], t - 1), key,
                    curves[i][t - 1]));
        }
        return out;
    }

    /** A query for epoch {@code epoch} of configuration {@code i} after {@code seenEpochs} observed epochs. */
    public ForecastQuery query(int i, int epoch, int seenEpochs) {
        return new ForecastQuery(configs[i], epoch, maxEpochs, Arrays.copyOf(curves[i], seenEpochs), null);
    }

    /** Kendall's τ-a between two equally long arrays (ties count as neither concordant nor discordant). */
    public static double kendallTau(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("need two arrays of the same length >= 2, got " + a.length + " and "
                    + b.length);
        }
        int concordant = 0;
        int discordant = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double s = Math.signum(a[i] - a[j]) * Math.signum(b[i] - b[j]);
                if (s > 0) {
                    concordant++;
                } else if (s < 0) {
                    discordant++;
                }
            }
        }
        return (concordant - discordant) / (double) (a.length * (a.length - 1) / 2);
    }

    /** Fraction of {@code truth} values inside the forecasts' central 90% intervals (mean ± {@link #Z90} std). */
    public static double coverage90(List<Forecast> forecasts, List<Double> truth) {
        if (forecasts.size() != truth.size() || truth.isEmpty()) {
            throw new IllegalArgumentException("need as many forecasts as true values (> 0), got "
                    + forecasts.size() + " and " + truth.size());
        }
        int covered = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (Math.abs(truth.get(i) - forecasts.get(i).mean()) <= Z90 * forecasts.get(i).std()) {
                covered++;
            }
        }
        return covered / (double) truth.size();
    }
}
