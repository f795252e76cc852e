package dev.dl4jfms.examples.report;

import dev.dl4jfms.store.TrialStatus;
import java.util.Objects;

/**
 * One trial as the study report shows it: status (with the optimizer's reason, e.g. why it stopped), its learning
 * curve (validation value after each epoch; NaN/Inf allowed for diverged epochs) and, when the method forecasts, the
 * forecast mean and standard deviation of its value at B_max (NaN when there is none).
 *
 * @param label  short name for plots and table; null for {@code "#" + id}
 * @param config human-readable hyperparameters (e.g. "lr=0.003, layers=[128,64]"); may be empty
 */
public record ReportTrial(long id, String label, TrialStatus status, String statusReason, String config,
                          int[] epochs, double[] values, double forecastMean, double forecastStd) {

    public ReportTrial {
        Objects.requireNonNull(status, "status of trial " + id);
        Objects.requireNonNull(epochs, "epochs of trial " + id);
        Objects.requireNonNull(values, "values of trial " + id);
        if (epochs.length != values.length) {
            throw new IllegalArgumentException("trial " + id + ": " + epochs.length + " epochs but " + values.length
                    + " values");
        }
        for (int i = 0; i < epochs.length; i++) {
            if (epochs[i] < 1 || (i > 0 && epochs[i] <= epochs[i - 1])) {
                throw new IllegalArgumentException("trial " + id + ": epochs must be >= 1 and increasing, got "
                        + java.util.Arrays.toString(epochs));
            }
        }
        if (!Double.isNaN(forecastStd) && forecastStd < 0) {
            throw new IllegalArgumentException("trial " + id + ": negative forecast standard deviation " + forecastStd);
        }
        epochs = epochs.clone();
        values = values.clone();
        config = config == null ? "" : config;
        statusReason = statusReason == null ? "" : statusReason;
    }

    /** A trial without forecast. */
    public static ReportTrial of(long id, String label, TrialStatus status, String reason, String config, int[] epochs,
                                 double[] values) {
        return new ReportTrial(id, label, status, reason, config, epochs, values, Double.NaN, Double.NaN);
    }

    /** The label, or "#id" when none was given. */
    public String displayName() {
        return label == null || label.isBlank() ? "#" + id : label;
    }

    public boolean hasForecast() {
        return Double.isFinite(forecastMean) && Double.isFinite(forecastStd);
    }

    /** Epochs trained (the last curve epoch, 0 when none). */
    public int epochsTrained() {
        return epochs.length == 0 ? 0 : epochs[epochs.length - 1];
    }

    /** Last finite value of the curve, NaN when none. */
    public double lastValue() {
        for (int i = values.length - 1; i >= 0; i--) {
            if (Double.isFinite(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    /** Best finite value of the curve in the given direction, NaN when none. */
    public double bestValue(boolean maximize) {
        double best = Double.NaN;
        for (double v : values) {
            if (Double.isFinite(v) && (Double.isNaN(best) || (maximize ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }
}
