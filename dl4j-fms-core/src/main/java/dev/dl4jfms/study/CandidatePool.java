package dev.dl4jfms.study;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The finite, fixed set of candidates a study chooses from: unit-cube points drawn reproducibly from an Arbiter
 * {@link ParameterSpace} (or given directly, e.g. by a benchmark hub), optionally crossed with starting checkpoints
 * (model selection: every drawn configuration is paired with every starting model).
 *
 * <p>Index layout when crossed: {@code index = configIndex * startCheckpoints + checkpointPosition}.
 */
public final class CandidatePool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ParameterSpace<?> space;
    private final List<PoolCandidate> candidates;
    private final int dimension;

    private CandidatePool(ParameterSpace<?> space, List<double[]> points, List<Long> startCheckpointIds) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a candidate pool needs at least one configuration (pool size 0)");
        }
        this.space = space;
        this.dimension = points.get(0).length;
        List<Long> starts = startCheckpointIds == null || startCheckpointIds.isEmpty()
                ? Collections.singletonList(null) : List.copyOf(startCheckpointIds);
        List<PoolCandidate> list = new ArrayList<>(points.size() * starts.size());
        for (int c = 0; c < points.size(); c++) {
            double[] p = points.get(c);
            if (p.length != dimension) {
                throw new IllegalArgumentException("unit vector " + c + " has " + p.length
                        + " coordinates, expected " + dimension);
            }
            for (double v : p) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("unit vector " + c + " leaves [0,1]: " + Arrays.toString(p));
                }
            }
            for (Long start : starts) {
                list.add(new PoolCandidate(list.size(), c, p, start));
            }
        }
        this.candidates = Collections.unmodifiableList(list);
    }

    /** Draws {@code size} points for {@code space} with a seeded generator. */
    public static CandidatePool draw(ParameterSpace<?> space, int size, long seed) {
        return draw(space, size, seed, List.of());
    }

    /**
     * Draws {@code size} points of [0,1]^d for {@code space} with a seeded generator and crosses them with
     * {@code startCheckpointIds} (empty for fresh weights only). The space's leaves are indexed the way Arbiter's
     * own generators do (unique leaves in collection order, consecutive indices), so {@link #value(int)} equals
     * what Arbiter would build from the same point.
     *
     * @throws IllegalArgumentException when the space has no free parameters or {@code size < 1}
     */
    public static CandidatePool draw(ParameterSpace<?> space, int size, long seed, List<Long> startCheckpointIds) {
        if (space == null) {
            throw new IllegalArgumentException("parameter space is required");
        }
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, got " + size);
        }
        int d = assignLeafIndices(space);
        if (d == 0) {
            throw new IllegalArgumentException("parameter space " + space.getClass().getSimpleName()
                    + " has no free parameters (only fixed values): nothing to search");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> points = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            double[] p = new double[d];
            for (int k = 0; k < d; k++) {
                p[k] = rng.nextDouble();
            }
            points.add(p);
        }
        return new CandidatePool(space, points, startCheckpointIds);
    }

    /** A pool of given unit-cube points (hubs, tests); {@link #value(int)} is unavailable without a space. */
    public static CandidatePool ofUnitVectors(List<double[]> points, List<Long> startCheckpointIds) {
        return new CandidatePool(null, points, startCheckpointIds);
    }

    /** A pool of given points mapped by {@code space} (whose leaves are indexed here as Arbiter does). */
    public static CandidatePool ofUnitVectors(ParameterSpace<?> space, List<double[]> points,
                                              List<Long> startCheckpointIds) {
        int d = assignLeafIndices(space);
        if (!points.isEmpty() && points.get(0).length != d) {
            throw new IllegalArgumentException("points have " + points.get(0).length + " coordinates but the space has "
                    + d + " parameters");
        }
        return new CandidatePool(space, points, startCheckpointIds);
    }

    /** Assigns leaf indices like Arbiter's BaseCandidateGenerator and returns the number of parameters. */
    static int assignLeafIndices(ParameterSpace<?> space) {
        List<ParameterSpace> leaves = LeafUtils.getUniqueObjects(space.collectLeaves());
        int next = 0;
        for (ParameterSpace<?> leaf : leaves) {
            int n = leaf.numParameters();
            int[] indices = new int[n];
            for (int j = 0; j < n; j++) {
                indices[j] = next++;
            }
            leaf.setIndices(indices);
        }
        if (next != space.numParameters()) {
            throw new IllegalStateException("parameter space reports " + space.numParameters()
                    + " parameters but its unique leaves have " + next);
        }
        return next;
    }

    public int size() {
        return candidates.size();
    }

    /** d, the number of unit-cube coordinates. */
    public int dimension() {
        return dimension;
    }

    public PoolCandidate get(int index) {
        if (index < 0 || index >= candidates.size()) {
            throw new IndexOutOfBoundsException("pool index " + index + " outside [0, " + candidates.size() + ")");
        }
        return candidates.get(index);
    }

    public List<PoolCandidate> candidates() {
        return candidates;
    }

    public boolean hasSpace() {
        return space != null;
    }

    /** The parameter space's value for candidate {@code index} (e.g. a {@link DL4JConfiguration}). */
    public Object value(int index) {
        if (space == null) {
            throw new IllegalStateException("this pool was built from unit vectors without a parameter space");
        }
        return space.getValue(get(index).unitVector());
    }

    /** JSON stored with a trial: pool index, unit vector, start checkpoint and (with a space) the configuration. */
    public String configJson(int index) {
        PoolCandidate c = get(index);
        ObjectNode n = JSON.createObjectNode();
        n.put("poolIndex", index);
        n.put("configIndex", c.configIndex());
        ArrayNode u = n.putArray("unitVector");
        for (double v : c.unitVector()) {
            u.add(v);
        }
        if (c.startCheckpointId() != null) {
            n.put("startCheckpointId", c.startCheckpointId());
        }
        if (space != null) {
            Object value = value(index);
            try {
                if (value instanceof DL4JConfiguration dl4j) {
                    n.set("value", JSON.readTree(dl4j.getMultiLayerConfiguration().toJson()));
                } else if (value instanceof GraphConfiguration graph) {
                    n.set("value", JSON.readTree(graph.getConfiguration().toJson()));
                } else {
                    n.put("value", String.valueOf(value));
                }
            } catch (java.io.IOException e) {
                n.put("value", String.valueOf(value));
            }
        }
        return n.toString();
    }

    /**
     * The MultiLayerNetwork configuration a trial's stored JSON ({@link #configJson}) holds under {@code value};
     * empty when it holds none (a graph or other value, or a hub's flat JSON).
     *
     * @throws IllegalArgumentException when the JSON or the configuration in it cannot be read
     */
    public static java.util.Optional<org.deeplearning4j.nn.conf.MultiLayerConfiguration> storedMultiLayerConfiguration(
            String configJson) {
        try {
            return storedMultiLayerConfiguration(JSON.readTree(configJson == null ? "{}" : configJson));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a trial's configuration JSON: " + e.getMessage(), e);
        }
    }

    /** {@link #storedMultiLayerConfiguration(String)} of JSON already parsed. */
    public static java.util.Optional<org.deeplearning4j.nn.conf.MultiLayerConfiguration> storedMultiLayerConfiguration(
            org.nd4j.shade.jackson.databind.JsonNode trialConfig) {
        org.nd4j.shade.jackson.databind.JsonNode value = trialConfig.path("value");
        if (!value.isObject() || !value.has("confs")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(value.toString()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable MultiLayerConfiguration: " + e.getMessage(), e);
        }
    }

    /** A hash of every unit vector and start checkpoint: equal pools have equal fingerprints. */
    public String fingerprint() {
        Hasher h = Hashing.sha256().newHasher();
        h.putInt(candidates.size()).putInt(dimension);
        for (PoolCandidate c : candidates) {
            for (double v : c.unitVector()) {
                h.putDouble(v);
            }
            h.putLong(c.startCheckpointId() == null ? -1L : c.startCheckpointId());
        }
        return h.hash().toString().substring(0, 24);
    }
}
