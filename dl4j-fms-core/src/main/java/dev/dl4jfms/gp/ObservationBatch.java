package dev.dl4jfms.gp;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.ForecastQuery;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The feature extractor's inputs for a list of rows under one target scaling — configuration and budget, scaled
 * curve prefixes, checkpoint keys — and, for observations, their scaled targets: what a fit, a conditioning and a
 * prediction feed the network. Embeddings are looked up by key when {@link #inputs()} is called (a trainable
 * embedder changes them at every step).
 */
final class ObservationBatch {
    private final List<String> keys;
    private final INDArray xBudget;
    private final INDArray curve;
    private final INDArray targets;
    private final EmbeddingTable embeddings;

    private ObservationBatch(List<String> keys, INDArray xBudget, INDArray curve, INDArray targets,
                             EmbeddingTable embeddings) {
        this.keys = keys;
        this.xBudget = xBudget;
        this.curve = curve;
        this.targets = targets;
        this.embeddings = embeddings;
    }

    /** Observations with targets {@code (value - shift) / scale}; curves scaled the same way. */
    static ObservationBatch of(List<CurveObservation> observations, DeepKernelSettings settings, double shift,
                               double scale, EmbeddingTable embeddings) {
        List<ForecastQuery> queries = new ArrayList<>(observations.size());
        double[] y = new double[observations.size()];
        for (int i = 0; i < y.length; i++) {
            queries.add(observations.get(i).query());
            y[i] = (observations.get(i).value() - shift) / scale;
        }
        INDArray targets = Nd4j.createFromArray(y).castTo(settings.dataType).reshape(y.length, 1);
        return ofQueries(queries, targets, settings, shift, scale, embeddings);
    }

    /** Queries (no targets). */
    static ObservationBatch ofQueries(List<ForecastQuery> queries, DeepKernelSettings settings, double shift,
                                     double scale, EmbeddingTable embeddings) {
        return ofQueries(queries, null, settings, shift, scale, embeddings);
    }

    private static ObservationBatch ofQueries(List<ForecastQuery> queries, INDArray targets,
                                              DeepKernelSettings settings, double shift, double scale,
                                              EmbeddingTable embeddings) {
        List<String> keys = new ArrayList<>(queries.size());
        for (ForecastQuery q : queries) {
            keys.add(q.weightsKey());
        }
        INDArray xBudget = InputEncoder.configAndBudget(queries, settings.inputDimension, settings.dataType);
        INDArray curve = settings.useCurve ? InputEncoder.curves(queries, shift, scale, settings.dataType) : null;
        return new ObservationBatch(keys, xBudget, curve, targets, embeddings);
    }

    int size() {
        return (int) xBudget.rows();
    }

    /** Checkpoint keys, row by row (null where no weights are known). */
    List<String> keys() {
        return keys;
    }

    /** Scaled targets [n, 1]; null for a batch of queries. */
    INDArray targets() {
        return targets;
    }

    /** The rows {@code rows} of this batch (a gather of each input array). */
    ObservationBatch subset(int[] rows) {
        List<String> subKeys = new ArrayList<>(rows.length);
        for (int r : rows) {
            subKeys.add(keys.get(r));
        }
        INDArray subCurve = null;
        if (curve != null) {
            long p = curve.size(2);
            subCurve = Nd4j.pullRows(curve.reshape(curve.size(0), p), 1, rows).reshape(rows.length, 1, p);
        }
        return new ObservationBatch(subKeys, Nd4j.pullRows(xBudget, 1, rows), subCurve,
                targets == null ? null : Nd4j.pullRows(targets, 1, rows), embeddings);
    }

    /** The network inputs, embeddings looked up now. */
    FeatureExtractor.Inputs inputs() {
        return new FeatureExtractor.Inputs(xBudget, curve, embeddings == null ? null : embeddings.rows(keys));
    }
}
