package dev.dl4jfms.arbiter;

import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.WeightsKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import dev.dl4jfms.store.TrialRecord;

/**
 * Resolves the weights keys a study hands to its forecaster (see {@link WeightsKeys}) to {@link NetworkWeights}:
 * <ul>
 *   <li>{@code ckpt:<id>}: the checkpoint's snapshot read from the store (its SHA-256 is verified on read) and
 *       rebuilt by {@link NetworkWeightsFactory#fromSnapshot};</li>
 *   <li>{@code init:<poolIndex>}: the pool candidate's configuration ({@link CandidatePool#value(int)}) initialised
 *       afresh. The weights are those the trial starts from only when the Arbiter space has a fixed {@code seed}
 *       (otherwise {@code MultiLayerSpace} stamps the current time into each configuration).</li>
 * </ul>
 * Resolved weights are kept in a small least-recently-used cache: the forecaster asks for the same keys at every
 * refit, and reading a blob or initialising a network costs far more than the embedding itself.
 *
 * <p>Thread-safe (one lock around the cache; loads run under it, which is fine for the policy's single thread).
 */
public final class StudyWeightsLoader implements Function<String, NetworkWeights> {

    /** Default number of cached networks. */
    public static final int DEFAULT_CACHE_SIZE = 128;

    private final CheckpointStore store;
    private final CandidatePool pool;
    private final Map<String, NetworkWeights> cache;
    private long loads;

    /**
     * @param store     the study's store ({@code ckpt:} keys)
     * @param pool      the study's pool, drawn from a parameter space ({@code init:} keys)
     * @param cacheSize networks kept in memory, at least 1
     */
    public StudyWeightsLoader(CheckpointStore store, CandidatePool pool, int cacheSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.pool = Objects.requireNonNull(pool, "pool");
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be >= 1, got " + cacheSize);
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, NetworkWeights> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** A loader with {@link #DEFAULT_CACHE_SIZE}. */
    public StudyWeightsLoader(CheckpointStore store, CandidatePool pool) {
        this(store, pool, DEFAULT_CACHE_SIZE);
    }

    /**
     * The weights named by {@code key}.
     *
     * @throws IllegalArgumentException for a malformed or unknown key, a missing checkpoint, a checkpoint without
     *                                  weights, or a pool index out of range
     */
    @Override
    public synchronized NetworkWeights apply(String key) {
        if (key == null) {
            throw new IllegalArgumentException("weights key is null");
        }
        NetworkWeights cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        NetworkWeights loaded = load(key);
        loads++;
        cache.put(key, loaded);
        return loaded;
    }

    /** How many keys were resolved without the cache (for tests and diagnostics). */
    public synchronized long loads() {
        return loads;
    }

    private NetworkWeights load(String key) {
        if (key.startsWith(WeightsKeys.CHECKPOINT_PREFIX)) {
            long id;
            try {
                id = WeightsKeys.checkpointId(key);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed checkpoint weights key '" + key + "'");
            }
            CheckpointRecord record = store.checkpoint(id).orElseThrow(() -> new IllegalArgumentException(
                    "weights key '" + key + "': no checkpoint " + id + " in store " + store.location()));
            if (!record.hasWeights()) {
                throw new IllegalArgumentException("weights key '" + key + "': checkpoint " + id
                        + " holds metrics only, no weights");
            }
            return NetworkWeightsFactory.fromSnapshot(store.readSnapshot(record));
        }
        if (key.startsWith(WeightsKeys.INITIAL_PREFIX)) {
            int poolIndex;
            try {
                poolIndex = Integer.parseInt(key.substring(WeightsKeys.INITIAL_PREFIX.length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed initial weights key '" + key + "'");
            }
            if (poolIndex < 0 || poolIndex >= pool.size()) {
                throw new IllegalArgumentException("weights key '" + key + "': pool index out of range 0.."
                        + (pool.size() - 1));
            }
            return initialWeights(pool.value(poolIndex), key);
        }
        if (key.startsWith(WeightsKeys.TRIAL_INITIAL_PREFIX)) {
            long trialId;
            try {
                trialId = Long.parseLong(key.substring(WeightsKeys.TRIAL_INITIAL_PREFIX.length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed trial weights key '" + key + "'");
            }
            TrialRecord trial = store.trial(trialId).orElseThrow(() -> new IllegalArgumentException(
                    "weights key '" + key + "': no trial " + trialId + " in store " + store.location()));
            MultiLayerConfiguration conf;
            try {
                conf = CandidatePool.storedMultiLayerConfiguration(trial.configJson()).orElseThrow(
                        () -> new IllegalArgumentException("no MultiLayerConfiguration under 'value'"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("weights key '" + key + "': trial " + trialId + " holds no "
                        + "readable DL4J configuration (" + e.getMessage() + ")");
            }
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return NetworkWeightsFactory.fromMultiLayerNetwork(net);
        }
        throw new IllegalArgumentException("unknown weights key '" + key + "' (expected "
                + WeightsKeys.CHECKPOINT_PREFIX + "<id>, " + WeightsKeys.INITIAL_PREFIX + "<poolIndex> or "
                + WeightsKeys.TRIAL_INITIAL_PREFIX + "<trialId>)");
    }

    private static NetworkWeights initialWeights(Object value, String key) {
        if (value instanceof DL4JConfiguration c) {
            MultiLayerNetwork net = new MultiLayerNetwork(c.getMultiLayerConfiguration());
            net.init();
            return NetworkWeightsFactory.fromMultiLayerNetwork(net);
        }
        if (value instanceof GraphConfiguration g) {
            ComputationGraph graph = new ComputationGraph(g.getConfiguration());
            graph.init();
            return NetworkWeightsFactory.fromComputationGraph(graph);
        }
        throw new IllegalArgumentException("weights key '" + key + "': the pool's space produced a "
                + (value == null ? "null" : value.getClass().getName()) + ", not a DL4J network configuration");
    }
}
