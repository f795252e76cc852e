package dev.dl4jfms.policy;

import java.util.SplittableRandom;

/** Seeded random orders over a pool, so that policies draw "random" candidates reproducibly (also on resume). */
public final class PoolOrder {

    private PoolOrder() {
    }

    /** A permutation of {@code 0..size-1} determined by {@code seed} (Fisher-Yates). */
    public static int[] permutation(int size, long seed) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
