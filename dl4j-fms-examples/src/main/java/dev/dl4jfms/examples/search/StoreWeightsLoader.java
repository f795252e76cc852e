package dev.dl4jfms.examples.search;

import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.WeightsKeys;
import java.util.Objects;
import java.util.function.Function;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Resolves the weights keys a study hands its forecaster ({@link WeightsKeys}): {@code ckpt:<id>} reads the
 * checkpoint from the store (checksum verified) and {@code init:<poolIndex>} rebuilds the pool candidate's freshly
 * initialised network from its configuration (deterministic because the example spaces have a fixed seed).
 */
public final class StoreWeightsLoader implements Function<String, NetworkWeights> {

    private final CheckpointStore store;
    private final CandidatePool pool;

    /**
     * @param store the study's store
     * @param pool  the study's pool (the same draw as the generator's: same space, size and seed)
     */
    public StoreWeightsLoader(CheckpointStore store, CandidatePool pool) {
        this.store = Objects.requireNonNull(store, "store");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public NetworkWeights apply(String key) {
        Long checkpointId = WeightsKeys.checkpointId(key);
        if (checkpointId != null) {
            CheckpointRecord rec = store.checkpoint(checkpointId).orElseThrow(() -> new IllegalArgumentException(
                    "weights key " + key + ": no such checkpoint in " + store.location()));
            return NetworkWeightsFactory.fromSnapshot(store.readSnapshot(rec));
        }
        if (key != null && key.startsWith(WeightsKeys.INITIAL_PREFIX)) {
            int poolIndex = Integer.parseInt(key.substring(WeightsKeys.INITIAL_PREFIX.length()));
            Object value = pool.value(poolIndex);
            if (value instanceof DL4JConfiguration c) {
                MultiLayerNetwork net = new MultiLayerNetwork(c.getMultiLayerConfiguration());
                net.init();
                return NetworkWeightsFactory.fromModel(net);
            }
            if (value instanceof GraphConfiguration g) {
                ComputationGraph graph = new ComputationGraph(g.getConfiguration());
                graph.init();
                return NetworkWeightsFactory.fromModel(graph);
            }
            throw new IllegalArgumentException("weights key " + key + ": pool value is not a DL4J configuration");
        }
        throw new IllegalArgumentException("unknown weights key '" + key + "'");
    }
}
