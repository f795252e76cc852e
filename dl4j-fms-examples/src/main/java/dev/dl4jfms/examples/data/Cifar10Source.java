package dev.dl4jfms.examples.data;

import java.io.IOException;

/**
 * Random access to the examples of one split (train or test) of a CIFAR-10 folder, whatever its format.
 */
interface Cifar10Source {

    /** Pixels per channel of a CIFAR-10 image. */
    int PIXELS = 32 * 32;
    /** Values per image: 3 channels × 32 × 32. */
    int VALUES = 3 * PIXELS;

    /** Number of examples. */
    int size();

    /**
     * Reads example {@code index}: writes its {@value #VALUES} raw bytes (0–255, channel-major R, G, B, rows top
     * to bottom) into {@code pixels} at {@code offset} and returns its label index.
     */
    int read(int index, int[] pixels, int offset) throws IOException;
}
