package dev.dl4jfms.policy;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The freeze-thaw policy's bookkeeping of what its forecaster has seen: collects a study's observations, scores the
 * new ones as held-out against the forecasts made without them (for the {@link CalibrationGuard}, next to a
 * {@link PopulationTrendForecaster} reference), then updates the forecaster - a full fit, or with
 * {@code refitEvery(k)} a full fit once k observations are new and {@link Forecaster#condition} in between.
 */
final class HeldOutRefits {

    private static final Logger log = LoggerFactory.getLogger(HeldOutRefits.class);
    /**
     * Observations needed before the first fit: a forecaster that standardises its targets cannot estimate their
     * spread from one value (the deep-kernel GP even fails on a single row), and with parallel workers the warm-up
     * can be fully handed out while only one of its results is in.
     */
    static final int MIN_FIRST_FIT_OBSERVATIONS = 2;

    private final String name;
    private final Forecaster forecaster;
    private final Forecaster reference = new PopulationTrendForecaster();
    private final CalibrationGuard calibration;
    private final int refitEvery;
    private final Integer calibrationMinFitObservations;
    private final Set<Long> fittedKeys = new HashSet<>();
    private boolean fitted;
    /** Observations behind the current fit. */
    private int fittedObservations;
    /** Observations added by conditioning only since the forecaster last learned its parameters. */
    private int sinceFullFit;
    /** Held-out observations not scored because the fit that forecast them was on too few observations. */
    private int unscoredHeldOut;

    HeldOutRefits(String name, Forecaster forecaster, CalibrationGuard calibration, int refitEvery,
                  Integer calibrationMinFitObservations) {
        this.name = name;
        this.forecaster = forecaster;
        this.calibration = calibration;
        this.refitEvery = refitEvery;
        this.calibrationMinFitObservations = calibrationMinFitObservations;
    }

    boolean isFitted() {
        return fitted;
    }

    int unscoredHeldOut() {
        return unscoredHeldOut;
    }

    /** Finite observations (curve values before any divergence) of the study. */
    static int countObservations(StudyView study) {
        int n = 0;
        for (TrialState t : study.trials()) {
            for (int j = 1; j <= t.epochsTrained() && Double.isFinite(t.value(j)); j++) {
                n++;
            }
        }
        return n;
    }

    /**
     * Scores held-out observations with the current forecaster, then updates it on everything when something is
     * new: a full fit, or with {@code refitEvery(k)} a full fit once at least k observations arrived since the last
     * one and {@link Forecaster#condition} (the posterior on all observations, parameters unchanged) in between.
     */
    void refit(StudyView study) {
        List<CurveObservation> all = new ArrayList<>();
        List<CurveObservation> fresh = new ArrayList<>();
        List<Long> freshKeys = new ArrayList<>();
        for (TrialState t : study.trials()) {
            double[] config = study.pool().get(t.poolIndex()).unitVector();
            for (int j = 1; j <= t.epochsTrained(); j++) {
                double y = t.value(j);
                if (!Double.isFinite(y)) {
                    break; // a diverged epoch is no curve value; nothing after it is either
                }
                CurveObservation o = new CurveObservation(config, j, study.settings().maxEpochsPerTrial(),
                        t.curvePrefix(j), t.weightsKeyBefore(j), y);
                all.add(o);
                long key = (long) t.poolIndex() * 100_003L + j;
                if (!fittedKeys.contains(key)) {
                    fresh.add(o);
                    freshKeys.add(key);
                }
            }
        }
        if (fresh.isEmpty() || all.size() < MIN_FIRST_FIT_OBSERVATIONS) {
            return; // nothing new, or not fitted yet: decide() warms up further or waits
        }
        if (fitted) {
            scoreHeldOut(study, fresh);
        }
        if (!fitted || sinceFullFit + fresh.size() >= refitEvery) {
            forecaster.fit(all);
            sinceFullFit = 0;
        } else {
            forecaster.condition(all); // parameters of the last fit, posterior on every observation
            sinceFullFit += fresh.size();
        }
        reference.fit(all);
        fittedKeys.addAll(freshKeys);
        fitted = true;
        fittedObservations = all.size();
    }

    /** Minimum observations behind a fit whose forecasts the calibration guard scores. */
    int minFitObservations(StudyView study) {
        return calibrationMinFitObservations != null ? calibrationMinFitObservations
                : Math.max(1, study.settings().warmupConfigs());
    }

    /** Scores observations the current fit has not seen against its forecasts (and the reference's). */
    private void scoreHeldOut(StudyView study, List<CurveObservation> fresh) {
        boolean scored = fittedObservations >= minFitObservations(study);
        List<ForecastQuery> queries = fresh.stream().map(CurveObservation::query).toList();
        List<Forecast> main = forecaster.predict(queries);
        List<Forecast> ref = reference.predict(queries);
        for (int i = 0; i < fresh.size(); i++) {
            CurveObservation o = fresh.get(i);
            if (scored) {
                calibration.add(main.get(i), ref.get(i), o.value());
            } else {
                unscoredHeldOut++;
            }
            if (log.isDebugEnabled()) {
                log.debug(String.format(Locale.ROOT, "held-out %s epoch %d prefix %d (fit on %d): y %.4f | %s mu "
                                + "%.4f sd %.4f ll %.3f | trend mu %.4f sd %.4f ll %.3f",
                        scored ? "#" + calibration.forecaster().count() : "(unscored)", o.epoch(),
                        o.curvePrefix().length, fittedObservations, o.value(), name, main.get(i).mean(),
                        main.get(i).std(), CalibrationTracker.logLikelihood(main.get(i), o.value()),
                        ref.get(i).mean(), ref.get(i).std(), CalibrationTracker.logLikelihood(ref.get(i), o.value())));
            }
        }
        if (scored && log.isDebugEnabled()) {
            log.debug("calibration of {}: {}", name, calibration.describe());
        }
    }
}
