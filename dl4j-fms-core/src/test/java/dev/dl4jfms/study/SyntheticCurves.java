package dev.dl4jfms.study;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test fixture: deterministic, configuration-dependent learning curves over the unit cube (d = 3), so a "trainer"
 * can answer any (candidate, epoch) independently of the order in which epochs are requested.
 *
 * <p>Accuracy-like curve y_e = a − (a − 0.1) exp(−k e) + noise with asymptote a(x) = 0.95 − 0.6 ((x0 − 0.7)² +
 * (x2 − 0.4)²) and rate k(x) = 0.05 + 0.6 x1 (fast learners and good learners are different configurations, so
 * curves cross); noise N(0, 0.005²) seeded by (candidate, epoch). Candidates with x2 > {@code divergeAbove} diverge:
 * NaN from epoch 2 + ⌊3 x0⌋ on.
 */
public final class SyntheticCurves implements SegmentDriver.Curves {

    private final List<double[]> points;
    private final long seed;
    private final double divergeAbove;

    public SyntheticCurves(int size, long seed, double divergeAbove) {
        SplittableRandom rng = new SplittableRandom(seed);
        this.points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            points.add(new double[]{rng.nextDouble(), rng.nextDouble(), rng.nextDouble()});
        }
        this.seed = seed;
        this.divergeAbove = divergeAbove;
    }

    public List<double[]> points() {
        return points;
    }

    public CandidatePool pool() {
        return CandidatePool.ofUnitVectors(points, List.of());
    }

    public boolean diverges(int index) {
        return points.get(index)[2] > divergeAbove;
    }

    /** Validation value of candidate {@code index} after {@code epoch} epochs (NaN once diverged). */
    @Override
    public double value(int index, int epoch) {
        double[] x = points.get(index);
        if (diverges(index) && epoch >= 2 + (int) (3 * x[0])) {
            return Double.NaN;
        }
        return noiseless(index, epoch) + 0.005 * gaussian(index, epoch);
    }

    /** The curve without noise. */
    public double noiseless(int index, int epoch) {
        double[] x = points.get(index);
        double a = 0.95 - 0.6 * ((x[0] - 0.7) * (x[0] - 0.7) + (x[2] - 0.4) * (x[2] - 0.4));
        double k = 0.05 + 0.6 * x[1];
        return a - (a - 0.1) * Math.exp(-k * epoch);
    }

    /** A test value that tracks validation (recorded, never used for decisions). */
    @Override
    public double test(int index, int epoch) {
        return value(index, epoch) - 0.01;
    }

    @Override
    public double trainLoss(int index, int epoch) {
        double v = value(index, epoch);
        return Double.isNaN(v) ? Double.NaN : 1.0 - v;
    }

    /** Best and worst value at any epoch up to {@code maxEpochs} over the whole pool (for normalised regret). */
    public double[] range(int maxEpochs) {
        double best = Double.NEGATIVE_INFINITY;
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < points.size(); i++) {
            for (int e = 1; e <= maxEpochs; e++) {
                double v = value(i, e);
                if (Double.isFinite(v)) {
                    best = Math.max(best, v);
                    worst = Math.min(worst, v);
                }
            }
        }
        return new double[]{best, worst};
    }

    private double gaussian(int index, int epoch) {
        return new SplittableRandom(seed * 1_000_003L + index * 1_009L + epoch).nextGaussian();
    }
}
