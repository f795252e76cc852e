package dev.dl4jfms.study;

/** Whether the study's validation metric is to be maximised (accuracy) or minimised (loss). */
public enum MetricDirection {
    MAXIMIZE,
    MINIMIZE;

    /** Maps a raw metric value to the internal "higher is better" scale (NaN stays NaN). */
    public double normalise(double raw) {
        return this == MAXIMIZE ? raw : -raw;
    }

    /** Inverse of {@link #normalise}. */
    public double denormalise(double normalised) {
        return this == MAXIMIZE ? normalised : -normalised;
    }
}
