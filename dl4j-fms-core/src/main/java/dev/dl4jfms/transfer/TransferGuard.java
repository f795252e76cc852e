package dev.dl4jfms.transfer;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.policy.CalibrationGuard;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The negative-transfer guard (docs/transfer.md): a forecaster started from a prior and a cold one are both fitted on
 * the study's observations, and every new observation is first scored against both forecasts made without it - the
 * paired, clipped log-likelihood difference of {@link CalibrationGuard}, over a window of the most recent ones. The
 * transferred forecaster decides until at least {@code minObservations} are scored and the cold one is better on
 * the window; then the cold one decides, and back again when the window turns. Each change is kept
 * ({@link #changes()}) and named by {@link #activeVariant()}, which the freeze-thaw policy journals. The policy's
 * own calibration guard then judges whichever decides against the trend reference, so decisions go to the fallback
 * only when both lose to it.
 */
public final class TransferGuard implements Forecaster {

    private static final Logger log = LoggerFactory.getLogger(TransferGuard.class);
    /** Names of the two variants. */
    public static final String TRANSFERRED = "transferred";
    public static final String COLD = "cold";
    /** Defaults: the 20 most recent scored observations, clipped to ±3 nats, at least 10 before the cold one decides. */
    public static final int DEFAULT_WINDOW = 20;
    public static final double DEFAULT_CLIP = 3.0;
    public static final int DEFAULT_MIN_OBSERVATIONS = 10;

    private final Forecaster transferred;
    private final Forecaster cold;
    private final CalibrationGuard scores;
    private final int minObservations;
    private final Set<CurveObservation> seen = new HashSet<>();
    private final List<String> changes = new ArrayList<>();
    private boolean fitted;
    private boolean coldDecides;

    /**
     * @param window          most recent scored observations compared (e.g. 20)
     * @param clip            nats each observation's difference is clipped to (e.g. 3)
     * @param minObservations scored observations before the cold forecaster may take over (e.g. 10)
     */
    public TransferGuard(Forecaster transferred, Forecaster cold, int window, double clip, int minObservations) {
        if (transferred == null || cold == null || minObservations < 1) {
            throw new IllegalArgumentException("two forecasters and minObservations >= 1 are required");
        }
        this.transferred = transferred;
        this.cold = cold;
        this.scores = new CalibrationGuard(window, clip);
        this.minObservations = minObservations;
    }

    @Override
    public void fit(List<CurveObservation> observations) {
        update(observations, true);
    }

    @Override
    public void condition(List<CurveObservation> observations) {
        update(observations, false);
    }

    private void update(List<CurveObservation> observations, boolean full) {
        List<CurveObservation> fresh = observations.stream().filter(o -> !seen.contains(o)).toList();
        if (fitted && !fresh.isEmpty()) {
            List<ForecastQuery> queries = fresh.stream().map(CurveObservation::query).toList();
            List<Forecast> a = transferred.predict(queries);
            List<Forecast> b = cold.predict(queries);
            for (int i = 0; i < fresh.size(); i++) {
                scores.add(a.get(i), b.get(i), fresh.get(i).value());
            }
            boolean coldBetter = scores.windowCount() >= minObservations && scores.windowMeanDifference() < 0;
            if (coldBetter != coldDecides) {
                coldDecides = coldBetter;
                String change = String.format(Locale.ROOT, "after %d observations: %s decides (transferred - cold: "
                                + "%+.3f nats per held-out observation over the last %d)", observations.size(),
                        activeVariant(), scores.windowMeanDifference(), scores.windowCount());
                changes.add(change);
                log.info("negative-transfer guard: {}", change);
            }
        }
        if (full) {
            transferred.fit(observations);
            cold.fit(observations);
        } else {
            transferred.condition(observations);
            cold.condition(observations);
        }
        seen.addAll(fresh);
        fitted = true;
    }

    @Override
    public List<Forecast> predict(List<ForecastQuery> queries) {
        return coldDecides ? cold.predict(queries) : transferred.predict(queries);
    }

    @Override
    public String activeVariant() {
        return coldDecides ? COLD : TRANSFERRED;
    }

    /** Every change of the deciding variant, oldest first. */
    public List<String> changes() {
        return List.copyOf(changes);
    }

    /** Windowed comparison of the two on held-out observations. */
    public CalibrationGuard scores() {
        return scores;
    }
}
