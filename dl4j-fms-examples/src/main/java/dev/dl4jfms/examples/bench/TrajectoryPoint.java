package dev.dl4jfms.examples.bench;

/**
 * State of one study after {@code epochs} epochs were spent: the incumbent's validation value and the test value of
 * the same checkpoint. Both NaN while no epoch has been evaluated yet.
 */
public record TrajectoryPoint(long epochs, double incumbentVal, double incumbentTest) {
    public TrajectoryPoint {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs spent must be >= 0, got " + epochs);
        }
    }
}
