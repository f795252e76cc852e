package dev.dl4jfms.transfer;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds a transferred forecaster the prior's inputs: policies describe configurations by their study's unit-cube
 * vector, a prior by hyperparameter names ({@link HyperparameterEncoding}); this wrapper swaps one for the other,
 * from a table of the study's pool (unit vector → named encoding), and passes everything else through.
 */
public final class EncodedForecaster implements Forecaster {

    private final Forecaster inner;
    private final Map<String, double[]> encoded;

    /**
     * @param inner       the forecaster built from the prior
     * @param unitVectors the pool's unit vectors
     * @param named       the same configurations' encoded names, in the same order
     */
    public EncodedForecaster(Forecaster inner, List<double[]> unitVectors, List<double[]> named) {
        if (inner == null || unitVectors == null || named == null || unitVectors.size() != named.size()) {
            throw new IllegalArgumentException("a forecaster and one encoding per pool configuration are required");
        }
        this.inner = inner;
        this.encoded = new HashMap<>();
        for (int i = 0; i < unitVectors.size(); i++) {
            encoded.put(Arrays.toString(unitVectors.get(i)), named.get(i).clone());
        }
    }

    private double[] encode(double[] unitVector) {
        double[] e = encoded.get(Arrays.toString(unitVector));
        if (e == null) {
            throw new IllegalArgumentException("configuration " + Arrays.toString(unitVector)
                    + " is not in the study's pool; the prior cannot encode it by name");
        }
        return e;
    }

    private List<CurveObservation> encode(List<CurveObservation> observations) {
        return observations.stream().map(o -> new CurveObservation(encode(o.config()), o.epoch(), o.maxEpochs(),
                o.curvePrefix(), o.weightsKey(), o.value())).toList();
    }

    @Override
    public void fit(List<CurveObservation> observations) {
        inner.fit(encode(observations));
    }

    @Override
    public void condition(List<CurveObservation> observations) {
        inner.condition(encode(observations));
    }

    @Override
    public List<Forecast> predict(List<ForecastQuery> queries) {
        return inner.predict(queries.stream().map(q -> new ForecastQuery(encode(q.config()), q.epoch(), q.maxEpochs(),
                q.curvePrefix(), q.weightsKey())).toList());
    }
}
