package dev.dl4jfms.examples.bench;

/** One row of {@code curves.csv}: the state of a (method, seed) study after {@code epochs} epochs were spent. */
public record CurveRow(String method, long seed, long epochs, double normalizedRegret, double incumbentVal,
                       double incumbentTest) {
}
