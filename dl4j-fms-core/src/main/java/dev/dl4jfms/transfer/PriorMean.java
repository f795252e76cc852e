package dev.dl4jfms.transfer;

import dev.dl4jfms.forecast.CurveObservation;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The part of a prior that carries the map (hyperparameters, budget, curve so far) → outcome from earlier studies
 * into a new one (docs/transfer.md): a ridge regression on fixed features of a query, fitted on every observation of
 * the sources. A study that starts from the prior forecasts its metric as this mean plus a Gaussian process of the
 * residuals ({@link PriorMeanForecaster}).
 *
 * <p>Why a parametric mean and not only the meta-trained deep kernel: a Gaussian process with a constant mean forecasts
 * a configuration the study has not tried from its correlation with what the study <em>has</em> observed — after a
 * warm-up that is first-epoch values only, so it can never forecast a final value above them, however well its
 * kernel was meta-trained. The mean forecasts it from the hyperparameters as the earlier studies saw them.
 *
 * <p>Features of a query (configuration encoding x of {@link HyperparameterEncoding}, budget fraction
 * t = epoch / B_max, k epochs of curve so far with last value v): 1, x, x², t, t², t·x, the horizon h = (epoch − k)
 * / B_max, an indicator of k &gt; 0, v, v·t and v·h. Ridge penalty {@code lambda} (on all but the intercept), solved
 * by Cholesky of the normal equations.
 */
public final class PriorMean {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final double[] weights;

    private PriorMean(double[] weights) {
        this.weights = weights;
    }

    /** Number of features of a configuration of {@code d} encoded inputs. */
    static int featureCount(int d) {
        return 1 + 3 * d + 2 + 1 + 1 + 3;
    }

    static double[] features(double[] x, int epoch, int maxEpochs, double[] prefix) {
        int d = x.length;
        double[] f = new double[featureCount(d)];
        double t = epoch / (double) maxEpochs;
        int k = prefix.length;
        double h = (epoch - k) / (double) maxEpochs;
        double v = k > 0 ? prefix[k - 1] : 0;
        int at = 0;
        f[at++] = 1;
        for (double xi : x) {
            f[at++] = xi;
        }
        for (double xi : x) {
            f[at++] = xi * xi;
        }
        for (double xi : x) {
            f[at++] = t * xi;
        }
        f[at++] = t;
        f[at++] = t * t;
        f[at++] = h;
        f[at++] = k > 0 ? 1 : 0;
        f[at++] = v;
        f[at++] = v * t;
        f[at] = v * h;
        return f;
    }

    /**
     * Fits the mean to {@code rows} (all of one configuration encoding).
     *
     * @param lambda ridge penalty, positive
     * @throws IllegalArgumentException for no rows, mixed encodings or a non-finite value
     */
    public static PriorMean fit(List<CurveObservation> rows, double lambda) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a prior mean needs at least one observation");
        }
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("ridge penalty must be positive, got " + lambda);
        }
        int p = featureCount(rows.get(0).config().length);
        double[][] gram = new double[p][p];
        double[] rhs = new double[p];
        for (CurveObservation o : rows) {
            if (o.config().length != rows.get(0).config().length || !Double.isFinite(o.value())) {
                throw new IllegalArgumentException("prior mean rows need one encoding and finite values");
            }
            double[] f = features(o.config(), o.epoch(), o.maxEpochs(), o.curvePrefix());
            for (int i = 0; i < p; i++) {
                rhs[i] += f[i] * o.value();
                for (int j = 0; j <= i; j++) {
                    gram[i][j] += f[i] * f[j];
                }
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                gram[j][i] = gram[i][j];
            }
            if (i > 0) {
                gram[i][i] += lambda;
            } else {
                gram[i][i] += 1e-9 * rows.size(); // intercept: unpenalised, just kept away from singular
            }
        }
        RealMatrix a = new Array2DRowRealMatrix(gram, false);
        RealVector w = new CholeskyDecomposition(a, 1e-14, 1e-14).getSolver().solve(new ArrayRealVector(rhs, false));
        return new PriorMean(w.toArray());
    }

    /** The mean at a query. */
    public double at(double[] config, int epoch, int maxEpochs, double[] curvePrefix) {
        double[] f = features(config, epoch, maxEpochs, curvePrefix);
        if (f.length != weights.length) {
            throw new IllegalArgumentException("configuration has " + config.length + " encoded inputs, the prior "
                    + "mean was fitted on another encoding");
        }
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += f[i] * weights[i];
        }
        return s;
    }

    /** The mean at an observation's query. */
    public double at(CurveObservation o) {
        return at(o.config(), o.epoch(), o.maxEpochs(), o.curvePrefix());
    }

    /** JSON form (stored in a prior file). */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode w = n.putArray("weights");
        Arrays.stream(weights).forEach(w::add);
        return n;
    }

    /** Reads {@link #toJson()}. */
    public static PriorMean fromJson(JsonNode node) {
        JsonNode w = node.path("weights");
        if (!w.isArray() || w.isEmpty()) {
            throw new IllegalArgumentException("a prior mean needs its weights");
        }
        double[] weights = new double[w.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = w.get(i).asDouble();
        }
        return new PriorMean(weights);
    }
}
