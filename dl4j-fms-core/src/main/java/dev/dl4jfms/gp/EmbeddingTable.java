package dev.dl4jfms.gp;

import dev.dl4jfms.embed.TrainableWeightEmbedder;
import dev.dl4jfms.embed.WeightEmbedder;
import dev.dl4jfms.graph.NetworkWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight embeddings by checkpoint key. Each distinct key is loaded and embedded once; embeddings are cached until
 * the embedder's parameters change ({@link #invalidate()}), which for a trainable embedder happens after every
 * optimiser step and for a frozen one never. Rows without a key get a zero embedding.
 */
final class EmbeddingTable {
    private final WeightEmbedder embedder;
    private final Function<String, NetworkWeights> loader;
    private final DataType dataType;
    private final Map<String, NetworkWeights> networks = new HashMap<>();
    private final Map<String, INDArray> embeddings = new HashMap<>();

    EmbeddingTable(WeightEmbedder embedder, Function<String, NetworkWeights> loader, DataType dataType) {
        this.embedder = embedder;
        this.loader = loader;
        this.dataType = dataType;
    }

    /** Drops cached embeddings (the embedder parameters changed). Loaded networks stay. */
    void invalidate() {
        embeddings.clear();
    }

    /** Drops loaded networks too (new refit: keep memory bounded by the current observations). */
    void releaseNetworks() {
        networks.clear();
    }

    private NetworkWeights network(String key) {
        return networks.computeIfAbsent(key, k -> {
            NetworkWeights w = loader.apply(k);
            if (w == null) {
                throw new IllegalStateException("weights loader returned null for checkpoint key '" + k + "'");
            }
            return w;
        });
    }

    /** Embeddings of {@code keys} row by row [n, e]; null keys give zero rows. Missing keys are embedded in one batch. */
    INDArray rows(List<String> keys) {
        LinkedHashMap<String, Integer> missing = new LinkedHashMap<>();
        for (String k : keys) {
            if (k != null && !embeddings.containsKey(k)) {
                missing.putIfAbsent(k, missing.size());
            }
        }
        if (!missing.isEmpty()) {
            List<NetworkWeights> batch = new ArrayList<>();
            for (String k : missing.keySet()) {
                batch.add(network(k));
            }
            INDArray e = embedder.embed(batch).castTo(dataType);
            if (e.rows() != batch.size() || e.columns() != embedder.dimension()) {
                throw new IllegalStateException("embedder returned shape " + java.util.Arrays.toString(e.shape())
                        + " for " + batch.size() + " networks of dimension " + embedder.dimension());
            }
            for (Map.Entry<String, Integer> m : missing.entrySet()) {
                embeddings.put(m.getKey(), e.getRow(m.getValue(), true).dup());
            }
        }
        INDArray out = Nd4j.zeros(dataType, keys.size(), embedder.dimension());
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) != null) {
                out.putRow(i, embeddings.get(keys.get(i)));
            }
        }
        return out;
    }

    /**
     * Chain rule into the embedder: sums the per-row gradients of rows sharing a checkpoint and asks the embedder
     * for the gradient w.r.t. its parameters.
     */
    INDArray parameterGradient(List<String> keys, INDArray dLossDRows) {
        LinkedHashMap<String, Integer> distinct = new LinkedHashMap<>();
        for (String k : keys) {
            if (k != null) {
                distinct.putIfAbsent(k, distinct.size());
            }
        }
        TrainableWeightEmbedder trainable = (TrainableWeightEmbedder) embedder;
        if (distinct.isEmpty()) {
            return Nd4j.zeros(dataType, 1, trainable.numParameters());
        }
        // one-hot [k, n] so that the aggregation is a single matrix product
        INDArray assign = Nd4j.zeros(dataType, distinct.size(), keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) != null) {
                assign.putScalar(distinct.get(keys.get(i)), i, 1.0);
            }
        }
        INDArray perNetwork = assign.mmul(dLossDRows);
        List<NetworkWeights> nets = new ArrayList<>();
        for (String k : distinct.keySet()) {
            nets.add(network(k));
        }
        return trainable.gradient(nets, perNetwork.castTo(trainable.parameters().dataType()));
    }
}
