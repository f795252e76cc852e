package dev.dl4jfms.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Bracket arithmetic of successive halving and Hyperband (Li et al., JMLR 2018) with the maximum resource R = B_max
 * epochs and the minimum resource one epoch: s_max = floor(log_η R); bracket s starts n = ⌈(s_max+1) η^s / (s+1)⌉
 * configurations at r = R η^-s epochs; rung i keeps ⌊n η^-i⌋ configurations trained to R η^(i-s) epochs (rounded to
 * whole epochs, at least one; the last rung is exactly R).
 */
public final class HalvingSchedule {

    /** One rung: how many configurations reach it and how many epochs they are trained to. */
    public record Rung(int configs, int epochs) {
    }

    private HalvingSchedule() {
    }

    /** s_max = floor(log_η maxEpochs), computed exactly in integers. */
    public static int maxBracket(int maxEpochs, int eta) {
        validate(maxEpochs, eta);
        int s = 0;
        long power = eta;
        while (power <= maxEpochs) {
            s++;
            power *= eta;
        }
        return s;
    }

    /** The configurations bracket {@code s} starts with: ⌈(s_max+1) η^s / (s+1)⌉. */
    public static int bracketSize(int s, int maxEpochs, int eta) {
        int sMax = maxBracket(maxEpochs, eta);
        if (s < 0 || s > sMax) {
            throw new IllegalArgumentException("bracket " + s + " outside [0, " + sMax + "]");
        }
        long numerator = (long) (sMax + 1) * pow(eta, s);
        return (int) ((numerator + s) / (s + 1));
    }

    /** The rungs of bracket {@code s} when it starts with {@code n} configurations. */
    public static List<Rung> rungs(int s, int n, int maxEpochs, int eta) {
        validate(maxEpochs, eta);
        if (n < 1) {
            throw new IllegalArgumentException("a bracket needs at least one configuration, got " + n);
        }
        List<Rung> rungs = new ArrayList<>(s + 1);
        for (int i = 0; i <= s; i++) {
            int configs = (int) Math.max(1, n / pow(eta, i));
            int epochs = i == s ? maxEpochs
                    : (int) Math.max(1, Math.round(maxEpochs / (double) pow(eta, s - i)));
            rungs.add(new Rung(configs, epochs));
        }
        return rungs;
    }

    /** Epochs of the rungs of the most exploratory bracket (s = s_max), the rung levels ASHA uses. */
    public static int[] rungEpochs(int maxEpochs, int eta) {
        int sMax = maxBracket(maxEpochs, eta);
        return rungs(sMax, 1, maxEpochs, eta).stream().mapToInt(Rung::epochs).distinct().toArray();
    }

    static long pow(int base, int exp) {
        long p = 1;
        for (int i = 0; i < exp; i++) {
            p *= base;
        }
        return p;
    }

    private static void validate(int maxEpochs, int eta) {
        if (maxEpochs < 1 || eta < 2) {
            throw new IllegalArgumentException("need maxEpochs >= 1 and eta >= 2, got " + maxEpochs + ", " + eta);
        }
    }
}
