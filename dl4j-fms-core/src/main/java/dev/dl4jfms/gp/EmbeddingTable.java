package dev.dl4jfms.gp;

import dev.dl4jfms.embed.TrainableWeightEmbedder;
import dev.dl4jfms.embed.WeightEmbedder;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.nd.Workspaces;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
    /** Row of {@link #table} holding each cached key's embedding. */
    private final Map<String, Integer> rowOf = new HashMap<>();
    /**
     * The cached embeddings as the rows of one matrix, row 0 zeros (for rows without a key), so that a batch of rows
     * is one gather rather than one copy per row; null when nothing is cached.
     */
    private INDArray table;
    private final int networksPerBatch;

    EmbeddingTable(WeightEmbedder embedder, Function<String, NetworkWeights> loader, DataType dataType) {
        this(embedder, loader, dataType, MAX_NETWORKS_PER_BATCH);
    }

    EmbeddingTable(WeightEmbedder embedder, Function<String, NetworkWeights> loader, DataType dataType,
                   int networksPerBatch) {
        if (networksPerBatch < 1) {
            throw new IllegalArgumentException("networksPerBatch must be >= 1, got " + networksPerBatch);
        }
        this.networksPerBatch = networksPerBatch;
        this.embedder = embedder;
        this.loader = loader;
        this.dataType = dataType;
    }

    /** Drops cached embeddings (the embedder parameters changed). Loaded networks stay. */
    void invalidate() {
        rowOf.clear();
        table = null;
    }

    /** Drops loaded networks too (new refit: keep memory bounded by the current observations). */
    void releaseNetworks() {
        networks.clear();
    }

    private NetworkWeights network(String key) {
        return networks.computeIfAbsent(key, k -> {
            NetworkWeights w = Workspaces.outside(() -> loader.apply(k)); // cached: must not live in a workspace
            if (w == null) {
                throw new IllegalStateException("weights loader returned null for checkpoint key '" + k + "'");
            }
            return w;
        });
    }

    /** The loaded networks of {@code keys}, in order. */
    private List<NetworkWeights> networks(List<String> keys) {
        List<NetworkWeights> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(network(k));
        }
        return out;
    }

    /**
     * Embeddings of {@code keys} row by row [n, e]; null keys give zero rows. Missing keys are embedded in batches of
     * at most {@code networksPerBatch} networks.
     */
    INDArray rows(List<String> keys) {
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (String k : keys) {
            if (k != null && !rowOf.containsKey(k)) {
                missing.add(k);
            }
        }
        if (table == null || !missing.isEmpty()) {
            List<INDArray> parts = new ArrayList<>();
            parts.add(table != null ? table : Workspaces.outside(() -> Nd4j.zeros(dataType, 1, embedder.dimension())));
            int next = table == null ? 1 : (int) table.rows();
            Map<String, Integer> addedRows = new HashMap<>(); // published with the table: a failure changes nothing
            List<String> missingKeys = new ArrayList<>(missing);
            for (int from = 0; from < missingKeys.size(); from += networksPerBatch) {
                List<String> chunk = missingKeys.subList(from, Math.min(missingKeys.size(), from + networksPerBatch));
                List<NetworkWeights> batch = networks(chunk);
                INDArray e = Workspaces.scratch(EMBED_WORKSPACE_ID, () -> embedder.embed(batch).castTo(dataType));
                if (e.rows() != batch.size() || e.columns() != embedder.dimension()) {
                    throw new IllegalStateException("embedder returned shape " + java.util.Arrays.toString(e.shape())
                            + " for " + batch.size() + " networks of dimension " + embedder.dimension());
                }
                parts.add(e);
                for (String key : chunk) {
                    addedRows.put(key, next++);
                }
            }
            table = parts.size() == 1 ? parts.get(0)
                    : Workspaces.outside(() -> Nd4j.vstack(parts.toArray(new INDArray[0])));
            rowOf.putAll(addedRows);
        }
        int[] index = new int[keys.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = keys.get(i) == null ? 0 : rowOf.get(keys.get(i));
        }
        return Nd4j.pullRows(table, 1, index);
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
        INDArray perNetwork = assign.mmul(dLossDRows).castTo(trainable.parameters().dataType());
        List<String> distinctKeys = new ArrayList<>(distinct.keySet());
        INDArray total = null;
        // The gradient is a sum over networks, so chunks add up to the same result with bounded memory.
        for (int from = 0; from < distinctKeys.size(); from += networksPerBatch) {
            int to = Math.min(distinctKeys.size(), from + networksPerBatch);
            List<NetworkWeights> nets = networks(distinctKeys.subList(from, to));
            INDArray rows = perNetwork.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
            INDArray part = Workspaces.scratch(EMBED_WORKSPACE_ID, () -> trainable.gradient(nets, rows));
            total = total == null ? part : total.addi(part);
        }
        return total;
    }

    /**
     * Networks embedded (or differentiated) in one embedder call. Batching amortises per-op overhead; the bound keeps
     * the GMN's activations, which grow with the summed edge count of the batch, from scaling with the pool size.
     */
    static final int MAX_NETWORKS_PER_BATCH = 16;

    /** Scratch workspace of embedder passes (the GMN creates hundreds of temporaries per batch). */
    private static final String EMBED_WORKSPACE_ID = "FMS_EMBEDDING_PASS";
}
