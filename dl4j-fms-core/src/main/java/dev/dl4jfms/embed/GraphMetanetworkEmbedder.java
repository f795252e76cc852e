package dev.dl4jfms.embed;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.dl4jfms.nd.Workspaces;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.ParameterGraph;
import dev.dl4jfms.graph.ParameterGraphBuilder;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Graph metanetwork (Lim et al. 2023) over {@link ParameterGraph}s, in SameDiff: a permutation-invariant,
 * trainable embedding of network weights.
 *
 * <p>Architecture (spec §6): node features [layer index, position] and edge features [value vector, layer index,
 * position] are encoded by sine-activated linear maps plus learned type embeddings (→ width {@code hidden});
 * then {@code blocks} residual message-passing blocks, each
 * <pre>
 *   x̂ = LN(x), ê = LN(e)
 *   e' = ReLU(W_e [x̂_src, x̂_dst, ê] + b_e)
 *   m  = ReLU(W_1 [x̂_src, e'] + b_1)
 *   a  = mean of m over the incoming edges of each node  (unsorted segment sum × 1/in-degree; 0 without inputs)
 *   x' = ReLU(W_2 [x̂, a] + b_2)
 *   x ← x + x', e ← e + e'
 * </pre>
 * and the readout ReLU(W_r e + b_r), mean over each graph's edges, Linear → ReLU → Linear, sigmoid. Message
 * passing is gather + unsorted-segment-sum arithmetic on ND4J arrays, so it runs on any ND4J backend. The
 * backward pass is written out in ND4J ({@link GmnComputation}) because SameDiff's gather gradient is broken in
 * ND4J 1.0.0-M2.1; an independent SameDiff forward pass serves as a reference in the tests.
 *
 * <p>Batches of networks are embedded as one disjoint-union graph. Parameter graphs are cached per distinct
 * {@link NetworkWeights} object (weak identity keys); use {@link EmbeddingCache} to cache embeddings per checkpoint.
 * Not thread-safe for concurrent {@link #setParameters}/{@link #reset} with embedding.
 */
public final class GraphMetanetworkEmbedder implements TrainableWeightEmbedder {

    private final GmnParameters params;
    private final ParameterGraphBuilder graphBuilder;
    private final int outputs;
    private final Cache<NetworkWeights, ParameterGraph> graphs;

    private GraphMetanetworkEmbedder(Builder b) {
        this.outputs = b.outputs;
        this.graphBuilder = new ParameterGraphBuilder().valueWidth(b.valueWidth).maxEdgesPerLayer(b.maxEdgesPerLayer)
                .samplingSeed(b.seed).dataType(b.dataType);
        this.params = new GmnParameters(b.hidden, b.blocks, b.outputs, b.valueWidth, b.encoderScale, b.dataType);
        this.params.reset(b.seed);
        this.graphs = CacheBuilder.newBuilder().weakKeys().maximumSize(b.graphCacheSize).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int dimension() {
        return outputs;
    }

    public DataType dataType() {
        return params.dataType();
    }

    /** The parameter graph of {@code network} (cached per object). */
    public ParameterGraph graphOf(NetworkWeights network) {
        ParameterGraph g = graphs.getIfPresent(network);
        if (g == null) {
            g = Workspaces.outside(() -> graphBuilder.build(network)); // cached: never in a caller's workspace
            graphs.put(network, g);
        }
        return g;
    }

    @Override
    public INDArray embed(List<NetworkWeights> networks) {
        if (networks.isEmpty()) {
            return Nd4j.zeros(params.dataType(), 0, outputs);
        }
        return new GmnComputation(params, batch(networks)).forward();
    }

    @Override
    public INDArray gradient(List<NetworkWeights> networks, INDArray dLossDEmbedding) {
        if (dLossDEmbedding == null || dLossDEmbedding.rank() != 2 || dLossDEmbedding.size(0) != networks.size()
                || dLossDEmbedding.size(1) != outputs) {
            throw new IllegalArgumentException("dLossDEmbedding must have shape [" + networks.size() + ", " + outputs
                    + "], got " + (dLossDEmbedding == null ? "null" : java.util.Arrays.toString(dLossDEmbedding.shape())));
        }
        if (networks.isEmpty()) {
            return Nd4j.zeros(params.dataType(), 1, params.count());
        }
        GmnComputation computation = new GmnComputation(params, batch(networks));
        computation.forward();
        return params.flatten(computation.backward(dLossDEmbedding));
    }

    /** The named parameter arrays (package-private: reference implementations in tests). */
    GmnParameters parameterStore() {
        return params;
    }

    @Override
    public INDArray parameters() {
        return params.flat();
    }

    @Override
    public void setParameters(INDArray flat) {
        params.setFlat(flat);
    }

    @Override
    public long numParameters() {
        return params.count();
    }

    @Override
    public void reset(long seed) {
        params.reset(seed);
    }

    private ParameterGraph batch(List<NetworkWeights> networks) {
        List<ParameterGraph> parts = new ArrayList<>(networks.size());
        for (NetworkWeights n : networks) {
            parts.add(graphOf(n));
        }
        return ParameterGraph.union(parts);
    }

    /** Validating configuration of a {@link GraphMetanetworkEmbedder}. */
    public static final class Builder {
        private int hidden = 32;
        private int blocks = 4;
        private int outputs = 32;
        private int valueWidth = 9;
        private int maxEdgesPerLayer = 0;
        private double encoderScale = 2.0;
        private long seed = 0L;
        private int graphCacheSize = 4096;
        private DataType dataType = DataType.FLOAT;

        /** Width of node and edge states (default 32, as the reference). */
        public Builder hidden(int v) {
            hidden = positive("hidden", v);
            return this;
        }

        /** Number of residual message-passing blocks (default 4). */
        public Builder blocks(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("blocks must be >= 0, got " + v);
            }
            blocks = v;
            return this;
        }

        /** Embedding dimension (default 32). */
        public Builder outputs(int v) {
            outputs = positive("outputs", v);
            return this;
        }

        /** Length of an edge's value vector: convolution kernels are split/padded to it (default 9). */
        public Builder valueWidth(int v) {
            valueWidth = positive("valueWidth", v);
            return this;
        }

        /**
         * Cost control (deviation from the exact GMN, off by default): keep at most this many weight edges per
         * layer, a seeded uniform subset. 0 = exact.
         */
        public Builder maxEdgesPerLayer(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxEdgesPerLayer must be >= 0 (0 = exact), got " + v);
            }
            maxEdgesPerLayer = v;
            return this;
        }

        /** Standard deviation of the sine encoders' initial weights (default 2). */
        public Builder encoderScale(double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("encoderScale must be positive and finite, got " + v);
            }
            encoderScale = v;
            return this;
        }

        /** Seed of the initial parameters (and of edge subsampling). */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Maximum number of cached parameter graphs (default 4096). */
        public Builder graphCacheSize(int v) {
            graphCacheSize = positive("graphCacheSize", v);
            return this;
        }

        /** FLOAT (default) or DOUBLE (gradient checks). */
        public Builder dataType(DataType v) {
            if (v == null || !v.isFPType()) {
                throw new IllegalArgumentException("dataType must be a floating-point type, got " + v);
            }
            dataType = v;
            return this;
        }

        public GraphMetanetworkEmbedder build() {
            return new GraphMetanetworkEmbedder(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
            return v;
        }
    }
}
