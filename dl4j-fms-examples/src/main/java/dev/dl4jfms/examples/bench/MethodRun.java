package dev.dl4jfms.examples.bench;

import java.util.List;
import java.util.Objects;

/**
 * Everything a benchmark records about one (method, seed) study: its incumbent trajectory (epochs spent
 * non-decreasing), forecast snapshots (empty for methods without a forecaster), the seconds the surrogate took per
 * optimizer step (empty for model-free methods) and the epochs spent when a forecasting policy handed its decisions
 * to its fallback ({@link #NO_FALLBACK} when it did not, or has none).
 */
public record MethodRun(String method, long seed, List<TrajectoryPoint> trajectory, List<ForecastSnapshot> forecasts,
                        double[] surrogateStepSeconds, long fallbackEpoch) {

    /** {@link #fallbackEpoch()} of a run whose policy never fell back. */
    public static final long NO_FALLBACK = -1;

    /** A run without a fallback. */
    public MethodRun(String method, long seed, List<TrajectoryPoint> trajectory, List<ForecastSnapshot> forecasts,
                     double[] surrogateStepSeconds) {
        this(method, seed, trajectory, forecasts, surrogateStepSeconds, NO_FALLBACK);
    }

    public MethodRun {
        Objects.requireNonNull(method, "method");
        if (method.isBlank() || method.contains(",") || method.contains("\n")) {
            throw new IllegalArgumentException("method name must be non-blank without commas or newlines: '" + method + "'");
        }
        trajectory = List.copyOf(trajectory);
        forecasts = List.copyOf(forecasts);
        surrogateStepSeconds = surrogateStepSeconds == null ? new double[0] : surrogateStepSeconds.clone();
        if (fallbackEpoch < NO_FALLBACK) {
            throw new IllegalArgumentException("fallbackEpoch must be >= 0 or NO_FALLBACK, got " + fallbackEpoch);
        }
        for (int i = 1; i < trajectory.size(); i++) {
            if (trajectory.get(i).epochs() < trajectory.get(i - 1).epochs()) {
                throw new IllegalArgumentException(method + " seed " + seed + ": epochs spent decrease at trajectory row "
                        + i + " (" + trajectory.get(i - 1).epochs() + " -> " + trajectory.get(i).epochs() + ")");
            }
        }
    }

    /** A run with only a trajectory. */
    public static MethodRun of(String method, long seed, List<TrajectoryPoint> trajectory) {
        return new MethodRun(method, seed, trajectory, List.of(), new double[0]);
    }
}
