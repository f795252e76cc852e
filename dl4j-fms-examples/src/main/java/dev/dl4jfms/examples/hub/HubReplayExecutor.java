package dev.dl4jfms.examples.hub;

import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.EpochResult;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.SegmentResult;
import dev.dl4jfms.study.WeightsKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a study's {@link Segment}s from a {@link Hub} instead of training: "train configuration i from epoch a to
 * b" returns the hub's recorded validation/test values, training loss and seconds for epochs a+1..b, and as weights
 * key the hub checkpoint of each epoch ({@code ckpt:<hub checkpoint id>}), so the same {@code Study} and policies as
 * live training run unchanged. A configuration that diverged in the hub returns the epochs it has and status
 * {@link SegmentResult.Status#DIVERGED}.
 *
 * <p>Pool index i is the i-th hub entry ({@link #pool()}). {@link #weightsLoader()} resolves the keys (including
 * {@code init:<i>}, the epoch-0 weights) to network weights for the forecasters' weight branch.
 */
public final class HubReplayExecutor {

    private static final int WEIGHTS_CACHE = 4096;

    private final Hub hub;
    private final CheckpointStore store;
    private final Map<Long, NetworkWeights> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, NetworkWeights> eldest) {
            return size() > WEIGHTS_CACHE;
        }
    };

    /** @param store the hub's store (for weights); may be null when no forecaster needs weights */
    public HubReplayExecutor(Hub hub, CheckpointStore store) {
        this.hub = hub;
        this.store = store;
    }

    /** The candidate pool: the hub entries' unit vectors in entry order, fresh (or hub-recorded) start weights. */
    public CandidatePool pool() {
        List<double[]> points = new ArrayList<>();
        for (Hub.Entry e : hub.entries()) {
            points.add(e.unitVector());
        }
        return CandidatePool.ofUnitVectors(points, null);
    }

    /** Replays {@code segment}. */
    public SegmentResult execute(Segment segment) {
        Hub.Entry e = hub.entries().get(segment.poolIndex());
        List<EpochResult> epochs = new ArrayList<>();
        int last = Math.min(segment.toEpoch(), e.epochs());
        for (int epoch = segment.fromEpoch() + 1; epoch <= last; epoch++) {
            int k = epoch - 1;
            Map<String, Double> extra = Double.isFinite(e.seconds()[k]) ? Map.of("seconds", e.seconds()[k]) : Map.of();
            epochs.add(new EpochResult(epoch, e.val()[k], Double.isNaN(e.test()[k]) ? null : e.test()[k],
                    Double.isNaN(e.trainLoss()[k]) ? null : e.trainLoss()[k], null,
                    WeightsKeys.checkpoint(e.checkpointIds()[epoch]), extra));
        }
        if (last < segment.toEpoch()) {
            return SegmentResult.diverged(segment, epochs, "the hub records only " + e.epochs() + " epochs of config "
                    + e.configIndex() + " (diverged or failed while building)");
        }
        return SegmentResult.ok(segment, epochs);
    }

    /** Resolves {@code ckpt:<id>} (hub checkpoints) and {@code init:<poolIndex>} (epoch-0 weights) keys. */
    public java.util.function.Function<String, NetworkWeights> weightsLoader() {
        return key -> {
            Long id = WeightsKeys.checkpointId(key);
            if (id == null && key != null && key.startsWith(WeightsKeys.INITIAL_PREFIX)) {
                int pool = Integer.parseInt(key.substring(WeightsKeys.INITIAL_PREFIX.length()));
                id = hub.entries().get(pool).checkpointIds()[0];
            }
            if (id == null || id < 0) {
                throw new IllegalArgumentException("hub " + hub.location() + " has no weights for key '" + key + "'");
            }
            return load(id);
        };
    }

    private synchronized NetworkWeights load(long checkpointId) {
        NetworkWeights w = cache.get(checkpointId);
        if (w == null) {
            if (store == null) {
                throw new IllegalStateException("this replay has no store to read weights from");
            }
            CheckpointRecord c = store.checkpoint(checkpointId).orElseThrow(() -> new IllegalArgumentException(
                    "hub checkpoint " + checkpointId + " is missing from " + store.location()));
            w = NetworkWeightsFactory.fromSnapshot(store.readSnapshot(c));
            cache.put(checkpointId, w);
        }
        return w;
    }
}
