package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.PolicyNote;
import dev.dl4jfms.study.Termination;
import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastFailedException;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TerminationReason;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freeze-thaw multi-fidelity BO (spec section 2): warm-up with {@code n_init} random candidates one step each, then
 * refit the {@link Forecaster} on every observed (candidate, epoch) and train the candidate with the highest
 * expected improvement at its next epoch against the per-fidelity incumbent, one step at a time. A paused trial is
 * terminated ({@link TerminationReason#DOMINATED}) when the best value it can still reach by B_max - its forecast
 * upper bound μ + κσ at B_max, but never less than its best value so far - is below the incumbent, and only once the
 * calibration guard has judged the forecaster on at least
 * {@link FreezeThawPolicyBuilder#calibrationMinObservations} held-out observations (default 20) and found it no
 * worse than the reference: a forecast from a model nobody has checked yet does not end anyone's training.
 * FMS and DyHPO are this policy with different forecasters (with and without the weight branch). The first fit
 * waits for {@value HeldOutRefits#MIN_FIRST_FIT_OBSERVATIONS} observations; until then idle workers warm up further candidates.
 *
 * <p>Calibration guard (spec section 7): before each refit, every new observation is scored against the forecast
 * made without it, for the forecaster and for a {@link PopulationTrendForecaster} reference, by a
 * {@link CalibrationGuard} (log-likelihood differences clipped per observation, judged over a window of the most
 * recent ones). Only forecasts from a fit on at least
 * {@link FreezeThawPolicyBuilder#calibrationMinFitObservations} observations are scored: a fit on the first two or
 * three warm-up results estimates the spread of the metric from those few values, and both forecasters then miss by
 * many standard deviations, which says nothing about either. When the forecaster trails the reference by more than
 * a margin (or it fails numerically: a {@link ForecastFailedException}, or a NaN forecast), decisions go to the
 * fallback policy (ASHA by default, which
 * keeps promoting the trials trained so far) for the rest of the study, and a {@code fallback} note records why.
 */
public final class FreezeThawPolicy implements Policy {

    private static final Logger log = LoggerFactory.getLogger(FreezeThawPolicy.class);
    static final String FALLBACK = "fallback";
    /** Note kind: which of a forecaster's variants decides now ({@link Forecaster#activeVariant()}). */
    static final String FORECASTER = "forecaster";

    private final String name;
    private final Forecaster forecaster;
    private final Policy fallback;
    private final int calibrationMinObservations;
    private final double calibrationMargin;
    private final boolean terminateDominated;

    private final CalibrationGuard calibration;
    private final HeldOutRefits refits;
    private boolean fellBack;
    private String activeVariant;
    private int[] order;

    FreezeThawPolicy(FreezeThawPolicyBuilder b) {
        this.name = b.name;
        this.forecaster = b.forecaster;
        this.fallback = b.fallback;
        this.calibrationMinObservations = b.calibrationMinObservations;
        this.calibrationMargin = b.calibrationMargin;
        this.calibration = new CalibrationGuard(b.window(), b.calibrationClip);
        this.refits = new HeldOutRefits(b.name, b.forecaster, calibration, b.refitEvery,
                b.calibrationMinFitObservations);
        this.terminateDominated = b.terminateDominated;
    }

    /** A builder for a policy driven by {@code forecaster}. */
    public static FreezeThawPolicyBuilder builder(Forecaster forecaster) {
        return new FreezeThawPolicyBuilder(forecaster);
    }

    @Override
    public String name() {
        return name;
    }

    /** The forecaster that drives the decisions (for reports). */
    public Forecaster forecaster() {
        return forecaster;
    }

    /** True once decisions were handed to the fallback policy. */
    public boolean hasFallenBack() {
        return fellBack;
    }

    /**
     * Cumulative held-out calibration of the forecaster so far (this session), over the observations the guard
     * scored (forecasts from fits on at least {@link FreezeThawPolicyBuilder#calibrationMinFitObservations}
     * observations).
     */
    public CalibrationTracker calibration() {
        return calibration.forecaster();
    }

    /** Held-out calibration of the trend reference on the same observations as {@link #calibration()}. */
    public CalibrationTracker referenceCalibration() {
        return calibration.reference();
    }

    /** The guard that decides the fallback: windowed, clipped log-likelihood differences to the trend reference. */
    public CalibrationGuard calibrationGuard() {
        return calibration;
    }

    /** Held-out observations left unscored because their forecast came from a fit on too few observations. */
    public int unscoredHeldOutObservations() {
        return refits.unscoredHeldOut();
    }

    /**
     * The forecast at B_max of every pool candidate (in pool order) from the current fit, refitting first when new
     * observations exist; for reports such as the Kendall τ between forecast and true final values. Empty before
     * the first fit.
     */
    public List<Forecast> forecastAtMaxEpochs(StudyView study) {
        refits.refit(study);
        if (!refits.isFitted()) {
            return List.of();
        }
        int bMax = study.settings().maxEpochsPerTrial();
        List<ForecastQuery> queries = new ArrayList<>();
        for (TrialState t : study.trials()) {
            int b = Math.min(t.epochsTrained(), bMax - 1);
            double[] curve = java.util.Arrays.copyOf(t.curve(), b);
            queries.add(new ForecastQuery(study.pool().get(t.poolIndex()).unitVector(), bMax, bMax, curve,
                    t.weightsKeyBefore(b + 1)));
        }
        return forecaster.predict(queries);
    }

    /** Restores the fallback decision; calibration statistics restart empty after a resume. */
    @Override
    public void restore(List<PolicyNote> notes) {
        fellBack = notes.stream().anyMatch(n -> FALLBACK.equals(n.kind()));
        // the forecaster restarts from its initial variant after a resume: the next decision notes it again
        activeVariant = null;
    }

    @Override
    public Decision decide(StudyView study) {
        if (fellBack) {
            return fallback.decide(study);
        }
        int bMax = study.settings().maxEpochsPerTrial();
        int step = study.settings().stepEpochs();
        if (order == null) {
            order = PoolOrder.permutation(study.pool().size(), study.settings().seed());
        }
        long started = study.trials().stream().filter(t -> t.trialId() != null).count();
        if (started < study.settings().warmupConfigs()) {
            Decision warmUp = trainUntried(study, bMax, step, "warm-up " + (started + 1) + "/"
                    + study.settings().warmupConfigs());
            if (warmUp != null) {
                return warmUp;
            }
        }
        List<PolicyNote> notes = new ArrayList<>();
        try {
            refits.refit(study);
        } catch (ForecastFailedException e) {
            log.warn("forecaster of policy {} failed numerically; falling back to {}", name, fallback.name(), e);
            return fallBack(study, "forecaster failed: " + e);
        } catch (RuntimeException e) {
            throw failure("fitting the forecaster", study, e);
        }
        if (!refits.isFitted()) {
            // fewer than MIN_FIRST_FIT_OBSERVATIONS results are in: keep the idle worker warming up
            Decision more = trainUntried(study, bMax, step, "extra warm-up: " + HeldOutRefits.countObservations(study)
                    + " observation(s) in, the forecaster needs " + HeldOutRefits.MIN_FIRST_FIT_OBSERVATIONS
                    + " to fit");
            if (more != null) {
                return more;
            }
            if (study.runningCount() > 0) {
                return Decision.waitForResults();
            }
            // nothing untried, nothing running: the single trial with a finite value (if any) is all there is
            for (TrialState t : study.trials()) {
                if (t.trialId() != null && t.canContinue(bMax)) {
                    return Decision.train(t.poolIndex(), Math.min(bMax, t.epochsTrained() + step),
                            "the only trial that can continue; too few observations to fit a forecaster");
                }
            }
            return Decision.done();
        }
        String variant = forecaster.activeVariant();
        if (variant != null && !variant.equals(activeVariant)) {
            notes.add(new PolicyNote(FORECASTER, "decisions by the " + variant + " forecaster"
                    + (activeVariant == null ? "" : " (was " + activeVariant + ")") + " after "
                    + HeldOutRefits.countObservations(study) + " observations"));
            activeVariant = variant;
        }
        if (calibration.isWorseThanReference(calibrationMinObservations, calibrationMargin)) {
            return fallBack(study, notes, String.format(Locale.ROOT, "forecaster poorly calibrated (margin %.2f nats, "
                    + "forecasts from fits on >= %d observations): %s", calibrationMargin, refits.minFitObservations(study),
                    calibration.describe()));
        }
        try {
            return choose(study, bMax, step).withNotes(notes);
        } catch (ForecastFailedException e) {
            log.warn("forecaster of policy {} failed to predict; falling back to {}", name, fallback.name(), e);
            return fallBack(study, "forecaster failed to predict: " + e.getMessage());
        } catch (RuntimeException e) {
            throw failure("scoring the candidates", study, e);
        }
    }

    /**
     * Anything but a numerical failure is a bug or bad input (unreadable weights, say), not a verdict on the
     * forecaster's calibration: it propagates, with where the study was.
     */
    private IllegalStateException failure(String what, StudyView study, RuntimeException e) {
        TrialState last = null;
        for (TrialState t : study.trials()) {
            if (t.trialId() != null && (last == null || t.trialId() > last.trialId())) {
                last = t;
            }
        }
        return new IllegalStateException(String.format(Locale.ROOT, "policy %s failed %s after %d epochs of the "
                        + "study (%d observations; newest trial: %s): %s", name, what, study.spentEpochs(),
                HeldOutRefits.countObservations(study), last, e), e);
    }

    /** One step for the first untried candidate in the seeded pool order, or null when none is left. */
    private Decision trainUntried(StudyView study, int bMax, int step, String why) {
        for (int index : order) {
            TrialState t = study.trial(index);
            if (t.trialId() == null && t.canContinue(bMax)) {
                return Decision.train(index, Math.min(step, bMax), why);
            }
        }
        return null;
    }

    /** A forecast with a NaN/Inf mean or std: the forecaster cannot be trusted for decisions. */
    private static final class NonFiniteForecastException extends ForecastFailedException {
        NonFiniteForecastException(String message) {
            super(message);
        }
    }

    private Decision fallBack(StudyView study, String why) {
        return fallBack(study, List.of(), why);
    }

    private Decision fallBack(StudyView study, List<PolicyNote> before, String why) {
        fellBack = true;
        List<PolicyNote> notes = new ArrayList<>(before);
        notes.add(new PolicyNote(FALLBACK, "decisions handed to " + fallback.name() + ": " + why));
        return fallback.decide(study).withNotes(notes);
    }

    /**
     * Dominated trials are stopped only on forecasts of a forecaster the guard has judged (and not found worse than
     * the reference, or decisions would be the fallback's): {@code calibrationMinObservations} scored held-out
     * observations in the window.
     */
    private boolean mayTerminateDominated() {
        return terminateDominated && calibration.windowCount() >= calibrationMinObservations;
    }

    private Decision choose(StudyView study, int bMax, int step) {
        List<TrialState> candidates = new ArrayList<>();
        List<ForecastQuery> queries = new ArrayList<>();
        List<TrialState> paused = new ArrayList<>();
        for (TrialState t : study.trials()) {
            if (!t.canContinue(bMax)) {
                continue;
            }
            double[] config = study.pool().get(t.poolIndex()).unitVector();
            int b = t.epochsTrained();
            candidates.add(t);
            queries.add(new ForecastQuery(config, b + 1, bMax, t.curve(), t.weightsKeyBefore(b + 1)));
            if (mayTerminateDominated() && b >= 1) {
                paused.add(t);
            }
        }
        for (TrialState t : paused) {
            double[] config = study.pool().get(t.poolIndex()).unitVector();
            queries.add(new ForecastQuery(config, bMax, bMax, t.curve(), t.weightsKeyBefore(t.epochsTrained() + 1)));
        }
        if (candidates.isEmpty()) {
            return study.runningCount() > 0 ? Decision.waitForResults() : Decision.done();
        }
        List<Forecast> forecasts = forecaster.predict(queries);
        if (forecasts.size() != queries.size()) {
            throw new IllegalStateException("forecaster returned " + forecasts.size() + " forecasts for "
                    + queries.size() + " queries");
        }
        for (int i = 0; i < forecasts.size(); i++) {
            Forecast f = forecasts.get(i);
            if (!Double.isFinite(f.mean()) || !Double.isFinite(f.std()) || f.std() < 0) {
                throw new NonFiniteForecastException("forecast " + f + " for epoch " + queries.get(i).epoch());
            }
        }
        List<Termination> terminations = new ArrayList<>();
        Set<Integer> terminated = new HashSet<>();
        var incumbent = study.incumbent();
        if (incumbent.isPresent()) {
            DominanceRule rule = new DominanceRule(study.settings().kappa());
            for (int i = 0; i < paused.size(); i++) {
                rule.judge(paused.get(i), forecasts.get(candidates.size() + i), incumbent.get(),
                        calibration.windowCount()).ifPresent(term -> {
                            terminated.add(term.poolIndex());
                            terminations.add(term);
                        });
            }
        }
        int chosen = -1;
        double bestEi = Double.NEGATIVE_INFINITY;
        Forecast chosenForecast = null;
        for (int i = 0; i < candidates.size(); i++) {
            TrialState t = candidates.get(i);
            if (terminated.contains(t.poolIndex())) {
                continue;
            }
            Forecast f = forecasts.get(i);
            double ei = ExpectedImprovement.of(f.mean(), f.std(), study.incumbentAtEpoch(t.epochsTrained() + 1));
            if (ei > bestEi) { // candidates are in pool order: ties keep the lowest index
                bestEi = ei;
                chosen = i;
                chosenForecast = f;
            }
        }
        if (chosen < 0) {
            Decision wait = study.runningCount() > 0 ? Decision.waitForResults() : Decision.done();
            return wait.withTerminations(terminations);
        }
        TrialState t = candidates.get(chosen);
        int target = Math.min(bMax, t.epochsTrained() + step);
        String why = String.format(Locale.ROOT, "EI %.5f at epoch %d (mu %.4f, sigma %.4f, y* %.4f)", bestEi,
                t.epochsTrained() + 1, chosenForecast.mean(), chosenForecast.std(),
                study.incumbentAtEpoch(t.epochsTrained() + 1));
        return Decision.train(t.poolIndex(), target, why).withTerminations(terminations);
    }
}
