package dev.dl4jfms.transfer;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import java.util.ArrayList;
import java.util.List;

/**
 * A forecaster of residuals from a {@link PriorMean}: the inner forecaster (the prior's deep kernel) is fitted on
 * {@code value − mean(query)} and its forecasts are shifted back, so a configuration the study has not tried is
 * forecast from what earlier studies saw of its hyperparameters, and the study's own observations correct that.
 */
public final class PriorMeanForecaster implements Forecaster {

    private final Forecaster residuals;
    private final PriorMean mean;

    public PriorMeanForecaster(Forecaster residuals, PriorMean mean) {
        if (residuals == null || mean == null) {
            throw new IllegalArgumentException("a residual forecaster and a prior mean are required");
        }
        this.residuals = residuals;
        this.mean = mean;
    }

    private List<CurveObservation> residualRows(List<CurveObservation> observations) {
        List<CurveObservation> out = new ArrayList<>(observations.size());
        for (CurveObservation o : observations) {
            out.add(new CurveObservation(o.config(), o.epoch(), o.maxEpochs(), o.curvePrefix(), o.weightsKey(),
                    o.value() - mean.at(o)));
        }
        return out;
    }

    @Override
    public void fit(List<CurveObservation> observations) {
        residuals.fit(residualRows(observations));
    }

    @Override
    public void condition(List<CurveObservation> observations) {
        residuals.condition(residualRows(observations));
    }

    @Override
    public List<Forecast> predict(List<ForecastQuery> queries) {
        List<Forecast> r = residuals.predict(queries);
        List<Forecast> out = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
            ForecastQuery q = queries.get(i);
            out.add(new Forecast(r.get(i).mean() + mean.at(q.config(), q.epoch(), q.maxEpochs(), q.curvePrefix()),
                    r.get(i).std()));
        }
        return out;
    }

    @Override
    public String activeVariant() {
        return residuals.activeVariant();
    }
}
