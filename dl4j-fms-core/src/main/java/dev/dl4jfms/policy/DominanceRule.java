package dev.dl4jfms.policy;

import dev.dl4jfms.study.Termination;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.study.Incumbent;
import dev.dl4jfms.study.TerminationReason;
import dev.dl4jfms.study.TrialState;
import java.util.Locale;
import java.util.Optional;

/**
 * When a paused trial is not worth training any more (spec section 2, explicit early termination): the best value it
 * can still reach by B_max - the forecast upper bound μ + κσ at B_max, never less than its best value so far - is
 * below the incumbent. Applied only to forecasts of a forecaster the calibration guard has judged, which the caller
 * checks; this class only compares.
 */
final class DominanceRule {
    private final double kappa;

    DominanceRule(double kappa) {
        this.kappa = kappa;
    }

    /**
     * The termination of {@code trial} given its forecast at B_max, or empty when it may still beat the incumbent
     * (or is the incumbent).
     *
     * @param judgedOn held-out observations the guard judged the forecaster on (for the reason)
     */
    Optional<Termination> judge(TrialState trial, Forecast atMaxEpochs, Incumbent incumbent, int judgedOn) {
        if (trial.poolIndex() == incumbent.poolIndex()) {
            return Optional.empty();
        }
        double upper = atMaxEpochs.upper(kappa);
        double reachable = Math.max(upper, trial.bestValue());
        if (!(reachable < incumbent.value())) {
            return Optional.empty();
        }
        return Optional.of(new Termination(trial.poolIndex(), TerminationReason.DOMINATED, String.format(Locale.ROOT,
                "after epoch %d: best by B_max at most max(best so far %.4f, mu %.4f + %.2f * sigma %.4f) = %.4f < "
                        + "incumbent %.4f; forecaster judged on %d held-out observations", trial.epochsTrained(),
                trial.bestValue(), atMaxEpochs.mean(), kappa, atMaxEpochs.std(), reachable, incumbent.value(),
                judgedOn)));
    }
}
