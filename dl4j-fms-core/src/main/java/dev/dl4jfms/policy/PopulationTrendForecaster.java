package dev.dl4jfms.policy;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple, honest baseline forecaster (no configuration features, no weights): a curve continues from its last
 * observed value by the population's mean per-epoch increments; its uncertainty is the spread of those increments.
 * An untried configuration is predicted by the distribution of values observed at that epoch.
 *
 * <p>Fit: for every epoch t, the increments y_t − y_{t−1} of observations that know their whole prefix give a mean
 * m_t and variance v_t. Predicting epoch e from a prefix of length p: μ = y_p + Σ_{t=p+1..e} m_t and
 * σ² = Σ_{t=p+1..e} v_t; for epochs without increment data m_t = 0 and v_t = the mean squared increment over all
 * epochs (so long extrapolations stay uncertain). Used by {@link FreezeThawPolicy} as the calibration reference
 * and usable on its own ("freeze-thaw with a trend baseline").
 */
public final class PopulationTrendForecaster implements Forecaster {

    private static final double MIN_STD = 1e-3;

    private double[] meanDelta = new double[0];
    private double[] varDelta = new double[0];
    private boolean[] knownDelta = new boolean[0];
    private double unknownDeltaVar = 1.0;
    private double[] meanAt = new double[0];
    private double[] stdAt = new double[0];
    private boolean[] knownAt = new boolean[0];
    private double overallMean;
    private double overallStd = 1.0;
    private boolean fitted;

    @Override
    public void fit(List<CurveObservation> observations) {
        int maxEpoch = 1;
        for (CurveObservation o : observations) {
            maxEpoch = Math.max(maxEpoch, o.epoch());
        }
        List<List<Double>> deltas = new ArrayList<>();
        List<List<Double>> values = new ArrayList<>();
        for (int e = 0; e <= maxEpoch; e++) {
            deltas.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
        List<Double> all = new ArrayList<>();
        for (CurveObservation o : observations) {
            if (!Double.isFinite(o.value())) {
                continue;
            }
            values.get(o.epoch()).add(o.value());
            all.add(o.value());
            double[] prefix = o.curvePrefix();
            if (prefix.length == o.epoch() - 1 && prefix.length > 0 && Double.isFinite(prefix[prefix.length - 1])) {
                deltas.get(o.epoch()).add(o.value() - prefix[prefix.length - 1]);
            }
        }
        meanDelta = new double[maxEpoch + 1];
        varDelta = new double[maxEpoch + 1];
        knownDelta = new boolean[maxEpoch + 1];
        meanAt = new double[maxEpoch + 1];
        stdAt = new double[maxEpoch + 1];
        knownAt = new boolean[maxEpoch + 1];
        double sumSquares = 0;
        int count = 0;
        for (int e = 1; e <= maxEpoch; e++) {
            List<Double> d = deltas.get(e);
            if (!d.isEmpty()) {
                meanDelta[e] = mean(d);
                varDelta[e] = d.size() > 1 ? variance(d, meanDelta[e]) : meanDelta[e] * meanDelta[e];
                knownDelta[e] = true;
                for (double x : d) {
                    sumSquares += x * x;
                    count++;
                }
            }
            List<Double> v = values.get(e);
            if (!v.isEmpty()) {
                meanAt[e] = mean(v);
                stdAt[e] = v.size() > 1 ? Math.sqrt(variance(v, meanAt[e])) : Double.NaN;
                knownAt[e] = true;
            }
        }
        overallMean = all.isEmpty() ? 0.0 : mean(all);
        overallStd = all.size() > 1 ? Math.max(MIN_STD, Math.sqrt(variance(all, overallMean))) : 1.0;
        unknownDeltaVar = count > 0 ? Math.max(MIN_STD * MIN_STD, sumSquares / count) : overallStd * overallStd;
        fitted = true;
    }

    @Override
    public List<Forecast> predict(List<ForecastQuery> queries) {
        if (!fitted) {
            throw new IllegalStateException("fit() must be called before predict()");
        }
        List<Forecast> out = new ArrayList<>(queries.size());
        for (ForecastQuery q : queries) {
            out.add(predict(q));
        }
        return out;
    }

    private Forecast predict(ForecastQuery q) {
        double[] prefix = q.curvePrefix();
        int p = prefix.length;
        if (p == 0 || !Double.isFinite(prefix[p - 1])) {
            int e = q.epoch();
            if (e < knownAt.length && knownAt[e]) {
                double std = Double.isNaN(stdAt[e]) ? overallStd : stdAt[e];
                return new Forecast(meanAt[e], Math.max(MIN_STD, std));
            }
            return new Forecast(overallMean, overallStd);
        }
        double mean = prefix[p - 1];
        double var = 0;
        for (int t = p + 1; t <= q.epoch(); t++) {
            if (t < knownDelta.length && knownDelta[t]) {
                mean += meanDelta[t];
                var += varDelta[t];
            } else {
                var += unknownDeltaVar;
            }
        }
        return new Forecast(mean, Math.max(MIN_STD, Math.sqrt(var)));
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    private static double variance(List<Double> xs, double mean) {
        double s = 0;
        for (double x : xs) {
            s += (x - mean) * (x - mean);
        }
        return s / (xs.size() - 1);
    }
}
