package dev.dl4jfms.policy;

import dev.dl4jfms.forecast.Forecast;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Decides whether a forecaster is calibrated well enough to keep making decisions (spec section 7), by comparing
 * it with a reference forecaster on the same held-out observations.
 *
 * <p>Each held-out observation y is scored by the <em>paired</em> difference of Gaussian log-likelihoods,
 * log p_forecaster(y) − log p_reference(y), clipped to ±{@code clip} nats, and the guard judges the mean of those
 * differences over the most recent {@code window} observations. Why paired, clipped and windowed:
 * <ul>
 *   <li>the log score is unbounded below: a single 9σ miss costs 40 nats, so in a 20-point mean one or two
 *       surprises decide the verdict (in the end-to-end study that motivated this, the first two held-out points
 *       carried −52 of the GP's −33 nats in total, while over the other 18 its mean was within 0.06 nats of the
 *       reference's). Clipping
 *       bounds each point's weight either way (the reference's own blunders are capped too); a forecaster that is
 *       wrong on most points still loses about {@code clip} nats per point and trips the guard;</li>
 *   <li>the difference of log-likelihoods does not depend on the unit of y (the −log σ terms of both forecasts
 *       shift together), so one clip and one margin fit accuracies, losses or any other metric;</li>
 *   <li>the window judges the forecaster as it is now, not as it was with a handful of observations.</li>
 * </ul>
 * Which observations are scored at all (e.g. only forecasts from fits on enough data) is the caller's decision.
 * Cumulative, unclipped {@link CalibrationTracker}s of both forecasters are kept for reports.
 */
public final class CalibrationGuard {

    private final int window;
    private final double clip;
    private final Deque<Double> recentDifferences = new ArrayDeque<>();
    private final CalibrationTracker forecaster = new CalibrationTracker();
    private final CalibrationTracker reference = new CalibrationTracker();

    /**
     * @param window number of most recent scored observations judged, at least 1
     * @param clip   bound in nats on each observation's log-likelihood difference, positive
     */
    public CalibrationGuard(int window, double clip) {
        if (window < 1) {
            throw new IllegalArgumentException("calibration window must be >= 1, got " + window);
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("calibration clip must be positive and finite, got " + clip);
        }
        this.window = window;
        this.clip = clip;
    }

    /**
     * Scores held-out observation {@code y} against the forecaster's and the reference's forecasts made without it.
     * Observations that either forecast cannot score (non-finite y, mean or std) are ignored.
     */
    public void add(Forecast forecast, Forecast referenceForecast, double y) {
        double own = CalibrationTracker.logLikelihood(forecast, y);
        double ref = CalibrationTracker.logLikelihood(referenceForecast, y);
        if (Double.isNaN(own) || Double.isNaN(ref)) {
            return;
        }
        forecaster.add(forecast, y);
        reference.add(referenceForecast, y);
        double difference = Math.max(-clip, Math.min(clip, own - ref));
        recentDifferences.addLast(difference);
        if (recentDifferences.size() > window) {
            recentDifferences.removeFirst();
        }
    }

    /** Observations in the current window (at most {@code window}). */
    public int windowCount() {
        return recentDifferences.size();
    }

    /** Mean clipped log-likelihood difference (forecaster − reference) over the window; NaN when empty. */
    public double windowMeanDifference() {
        if (recentDifferences.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (double d : recentDifferences) {
            sum += d;
        }
        return sum / recentDifferences.size();
    }

    /**
     * True when at least {@code minObservations} observations are in the window and the forecaster trails the
     * reference there by more than {@code margin} nats per observation.
     */
    public boolean isWorseThanReference(int minObservations, double margin) {
        return windowCount() >= minObservations && windowMeanDifference() < -margin;
    }

    /** Cumulative, unclipped calibration of the forecaster over every scored observation. */
    public CalibrationTracker forecaster() {
        return forecaster;
    }

    /** Cumulative, unclipped calibration of the reference over the same observations. */
    public CalibrationTracker reference() {
        return reference;
    }

    public int window() {
        return window;
    }

    public double clip() {
        return clip;
    }

    /** One line for journals and logs: the windowed verdict and the cumulative statistics. */
    public String describe() {
        return String.format(Locale.ROOT, "over the last %d held-out observations the log-likelihood per observation "
                        + "trails the trend baseline by %.3f nats (each clipped to +-%.1f); over all %d: mean "
                        + "log-likelihood %.3f vs %.3f, 90%% interval coverage %.2f vs %.2f", windowCount(),
                -windowMeanDifference(), clip, forecaster.count(), forecaster.meanLogLikelihood(),
                reference.meanLogLikelihood(), forecaster.coverage90(), reference.coverage90());
    }
}
