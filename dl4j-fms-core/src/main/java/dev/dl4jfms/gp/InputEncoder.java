package dev.dl4jfms.gp;

import dev.dl4jfms.forecast.ForecastQuery;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns forecast queries into the feature extractor's input arrays (spec section 3).
 *
 * <p>Curve prefixes are normalised with the same affine map as the targets and zero-padded at the end to length
 * {@code longest + 3}. Deviation from "pad to ≥ 3 and to the longest": with three or more trailing zeros every row
 * has all its partial windows plus at least one all-zero window, so the max-pooled curve feature of a row does not
 * depend on which other rows share its batch (training rows and queries get identical features).
 */
final class InputEncoder {
    private InputEncoder() {
    }

    /** [n, d+1]: configuration vector then budget epoch / maxEpochs. */
    static INDArray configAndBudget(List<ForecastQuery> queries, int inputDim, DataType dt) {
        double[][] rows = new double[queries.size()][];
        for (int i = 0; i < rows.length; i++) {
            ForecastQuery q = queries.get(i);
            if (q.config().length != inputDim) {
                throw new IllegalArgumentException("row " + i + ": configuration has " + q.config().length
                        + " values, the forecaster was built for inputDimension " + inputDim);
            }
            for (double v : q.config()) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("row " + i + ": configuration contains a non-finite value "
                            + java.util.Arrays.toString(q.config()));
                }
            }
            double[] row = new double[inputDim + 1];
            System.arraycopy(q.config(), 0, row, 0, inputDim);
            row[inputDim] = q.epoch() / (double) q.maxEpochs();
            rows[i] = row;
        }
        return Nd4j.createFromArray(rows).castTo(dt);
    }

    /** [n, 1, longest + 3]: normalised, zero-padded curve prefixes. */
    static INDArray curves(List<ForecastQuery> queries, double shift, double scale, DataType dt) {
        int longest = 0;
        for (ForecastQuery q : queries) {
            longest = Math.max(longest, q.curvePrefix().length);
        }
        int width = longest + FeatureExtractor.CURVE_KERNEL;
        double[][] rows = new double[queries.size()][width];
        for (int i = 0; i < rows.length; i++) {
            double[] prefix = queries.get(i).curvePrefix();
            for (int j = 0; j < prefix.length; j++) {
                rows[i][j] = (prefix[j] - shift) / scale;
            }
        }
        return Nd4j.createFromArray(rows).castTo(dt).reshape(queries.size(), 1, width);
    }
}
