package dev.dl4jfms.embed;

import dev.dl4jfms.graph.NetworkWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Embeddings of checkpoints, computed once per distinct checkpoint key and reused until the embedder's parameters
 * change (for a {@link TrainableWeightEmbedder}: {@link TrainableWeightEmbedder#parameters()} differs from the
 * parameters the cached rows were computed with — checked on every call, cost O(numParameters)). Missing
 * embeddings of one call are computed in a single batch.
 *
 * @param <K> checkpoint key (e.g. the store's checkpoint id); must have value equality
 */
public final class EmbeddingCache<K> {

    private final WeightEmbedder embedder;
    private final Map<K, INDArray> rows = new HashMap<>();
    private INDArray parametersAtFill;
    private long computed;

    public EmbeddingCache(WeightEmbedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /**
     * Embeddings of the given checkpoints, one row each, in order: shape [keys.size(), dimension()].
     *
     * @param keys     checkpoint keys, parallel to {@code networks}
     * @param networks the checkpoints' weights (only read for keys not cached)
     */
    public synchronized INDArray embed(List<K> keys, List<NetworkWeights> networks) {
        if (keys.size() != networks.size()) {
            throw new IllegalArgumentException("keys (" + keys.size() + ") and networks (" + networks.size()
                    + ") must have the same length");
        }
        invalidateIfParametersChanged();
        List<K> missingKeys = new ArrayList<>();
        List<NetworkWeights> missing = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            K key = keys.get(i);
            if (!rows.containsKey(key) && !missingKeys.contains(key)) {
                missingKeys.add(key);
                missing.add(networks.get(i));
            }
        }
        if (!missing.isEmpty()) {
            INDArray fresh = embedder.embed(missing);
            for (int i = 0; i < missingKeys.size(); i++) {
                rows.put(missingKeys.get(i), fresh.getRow(i, true).dup());
            }
            computed += missing.size();
        }
        if (keys.isEmpty()) {
            return Nd4j.zeros(0, embedder.dimension());
        }
        return Nd4j.concat(0, keys.stream().map(rows::get).toArray(INDArray[]::new));
    }

    /** Drops every cached embedding. */
    public synchronized void invalidate() {
        rows.clear();
        parametersAtFill = null;
    }

    /** Number of cached checkpoints. */
    public synchronized int size() {
        return rows.size();
    }

    /** Number of embeddings computed so far (cache misses), for tests and cost reports. */
    public synchronized long computedCount() {
        return computed;
    }

    private void invalidateIfParametersChanged() {
        if (!(embedder instanceof TrainableWeightEmbedder trainable)) {
            return;
        }
        INDArray now = trainable.parameters();
        // exact comparison (INDArray.equals tolerates 1e-5 differences, smaller than an optimiser step)
        if (parametersAtFill == null || parametersAtFill.length() != now.length()
                || now.sub(parametersAtFill).amaxNumber().doubleValue() != 0.0) {
            rows.clear();
            parametersAtFill = now;
        }
    }
}
