package dev.dl4jfms.graph;

import dev.dl4jfms.graph.ParameterGraph.EdgeType;
import dev.dl4jfms.graph.ParameterGraph.NodeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link ParameterGraph} of a network (Lim et al. 2023 style) from its {@link NetworkWeights}.
 *
 * <p>Layers are connected as a chain in the order of {@link NetworkWeights#layers()}: the output units of one
 * parametrised layer are the input units of the next. Rules:
 * <ul>
 *   <li>Dense: one edge per weight (input unit → neuron) and a bias node with one edge per neuron. When the layer's
 *       nIn is a multiple s of the previous layer's unit count (a flattened [channels, h, w] map in DL4J's NCHW
 *       channel-major order), input i comes from channel i / s and the edge's position feature is (i mod s) / s, so
 *       permuting channels stays a graph isomorphism.</li>
 *   <li>1D/2D convolution: one edge per (input channel, output channel) pair carrying the flattened kernel as its
 *       value vector; kernels longer than {@link #valueWidth(int)} are split into several parallel edges (chunk
 *       index / chunk count as position feature), shorter ones are zero-padded.</li>
 *   <li>Batch normalisation: a γ node and a β node with an edge to every unit (values γ_c resp. β_c, followed by
 *       the running mean and variance of the unit when the value width allows).</li>
 *   <li>Parameter-free layers add nothing.</li>
 *   <li>A layer of {@link LayerKind#UNKNOWN} kind becomes one summary node: every current unit has an edge into it
 *       and it has an edge to every input unit of the next layer, whose value vector holds the
 *       {@link WeightStatistics} of all its parameters (statistics fallback). The units after it are fresh
 *       {@code CUT_INPUT} nodes. A warning is logged once per layer class.</li>
 *   <li>When sizes do not chain (e.g. branches of a {@code ComputationGraph}, whose topology is not part of
 *       {@link NetworkWeights}), the next layer starts from fresh {@code CUT_INPUT} nodes; residual edges are not
 *       modelled. Known limitation.</li>
 * </ul>
 * Cost control (a documented deviation from the exact graph, off by default): {@link #maxEdgesPerLayer(int)} keeps
 * a seeded uniform random subset of a layer's weight edges when it has more; mean aggregation then estimates the
 * exact messages, but invariance to permutations holds only in distribution.
 */
public final class ParameterGraphBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ParameterGraphBuilder.class);
    private final Set<String> warnedClasses = ConcurrentHashMap.newKeySet(); // warn once per layer class and builder

    private int valueWidth = 9;
    private int maxEdgesPerLayer = 0;
    private long samplingSeed = 12345L;
    private DataType dataType = DataType.FLOAT;

    /** Length of each edge's value vector (default 9 = one 3×3 kernel per edge). */
    public ParameterGraphBuilder valueWidth(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("valueWidth must be >= 1, got " + width);
        }
        this.valueWidth = width;
        return this;
    }

    /** Maximum weight edges per layer, 0 (default) for the exact graph. */
    public ParameterGraphBuilder maxEdgesPerLayer(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxEdgesPerLayer must be >= 0 (0 = no cap), got " + max);
        }
        this.maxEdgesPerLayer = max;
        return this;
    }

    /** Seed of the edge subsampling (only used when {@link #maxEdgesPerLayer(int)} is set). */
    public ParameterGraphBuilder samplingSeed(long seed) {
        this.samplingSeed = seed;
        return this;
    }

    /** Floating-point type of the feature arrays (default FLOAT). */
    public ParameterGraphBuilder dataType(DataType type) {
        if (type == null || !type.isFPType()) {
            throw new IllegalArgumentException("dataType must be a floating-point type, got " + type);
        }
        this.dataType = type;
        return this;
    }

    public int valueWidth() {
        return valueWidth;
    }

    public int maxEdgesPerLayer() {
        return maxEdgesPerLayer;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The parameter graph of one network. */
    public ParameterGraph build(NetworkWeights network) {
        return new Assembly(network).run();
    }

    /** Mutable state while walking the layers of one network. */
    private final class Assembly {
        private final NetworkWeights network;
        private final List<Integer> nodeTypes = new ArrayList<>();
        private final List<double[]> nodeScalars = new ArrayList<>();
        private final List<int[]> srcParts = new ArrayList<>();
        private final List<int[]> dstParts = new ArrayList<>();
        private final List<INDArray> valueParts = new ArrayList<>();
        private final List<INDArray> scalarParts = new ArrayList<>();
        private final List<int[]> typeParts = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();
        private final Random random = new Random(samplingSeed);
        private int[] frontier;          // current units, null at the start and after an unknown layer
        private int pendingUnknown = -1; // summary node whose outputs feed the next layer's fresh units
        private INDArray pendingStats;

        Assembly(NetworkWeights network) {
            this.network = network;
        }

        ParameterGraph run() {
            for (LayerWeights layer : network.layers()) {
                switch (layer.kind()) {
                    case DENSE -> dense(layer);
                    case CONV1D, CONV2D -> conv(layer);
                    case BATCH_NORM -> batchNorm(layer);
                    case UNKNOWN -> unknownLayer(layer);
                    case PARAMETER_FREE -> { }
                }
            }
            if (frontier != null) {
                for (int i = 0; i < frontier.length; i++) {
                    nodeScalars.get(frontier[i])[1] = (double) i / frontier.length;
                }
            }
            return assemble();
        }

        private void dense(LayerWeights layer) {
            INDArray w = layer.params().get("W");
            int nIn = (int) w.size(0);
            int nOut = (int) w.size(1);
            int li = layer.index() + 1;
            int[] inNode = new int[nIn];
            double[] inPos = new double[nIn];
            if (frontier != null && nIn % frontier.length == 0) {
                int s = nIn / frontier.length;
                for (int i = 0; i < nIn; i++) {
                    inNode[i] = frontier[i / s];
                    inPos[i] = s == 1 ? 0.0 : (double) (i % s) / s;
                }
            } else {
                inNode = freshInputs(nIn, layer);
            }
            int[] out = addNodes(nOut, NodeType.NEURON, li);
            int e = nIn * nOut;
            int[] src = new int[e];
            int[] dst = new int[e];
            double[] posData = new double[e];
            for (int i = 0, k = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++, k++) {
                    src[k] = inNode[i];
                    dst[k] = out[j];
                    posData[k] = inPos[i];
                }
            }
            addEdges(src, dst, w.reshape('c', e, 1), li, Nd4j.createFromArray(posData), EdgeType.DENSE, true);
            bias(layer, out, li);
            frontier = out;
        }

        private void conv(LayerWeights layer) {
            INDArray w = layer.params().get("W");
            int nOut = (int) w.size(0);
            int nIn = (int) w.size(1);
            int k = (int) (w.length() / ((long) nOut * nIn));
            int li = layer.index() + 1;
            int[] in = frontier != null && frontier.length == nIn ? frontier : freshInputs(nIn, layer);
            int[] out = addNodes(nOut, NodeType.CHANNEL, li);
            int chunks = (k + valueWidth - 1) / valueWidth;
            INDArray kernels = w.reshape('c', (long) nOut * nIn, k);
            if (chunks * valueWidth > k) {
                kernels = Nd4j.concat(1, kernels,
                        Nd4j.zeros(kernels.dataType(), (long) nOut * nIn, (long) chunks * valueWidth - k));
            }
            int e = nOut * nIn * chunks;
            INDArray values = kernels.reshape('c', e, valueWidth);
            int[] src = new int[e];
            int[] dst = new int[e];
            double[] posData = new double[e];
            for (int o = 0, idx = 0; o < nOut; o++) {
                for (int i = 0; i < nIn; i++) {
                    for (int q = 0; q < chunks; q++, idx++) {
                        src[idx] = in[i];
                        dst[idx] = out[o];
                        posData[idx] = (double) q / chunks;
                    }
                }
            }
            addEdges(src, dst, values, li, Nd4j.createFromArray(posData), EdgeType.CONV, true);
            bias(layer, out, li);
            frontier = out;
        }

        private void batchNorm(LayerWeights layer) {
            Map<String, INDArray> p = layer.params();
            INDArray gamma = p.get("gamma");
            INDArray beta = p.get("beta");
            INDArray mean = p.get("mean");
            INDArray var = p.get("var");
            INDArray any = gamma != null ? gamma : beta != null ? beta : mean;
            if (any == null) {
                return;
            }
            int n = (int) any.length();
            int li = layer.index() + 1;
            int[] units = frontier != null && frontier.length == n ? frontier : freshInputs(n, layer);
            frontier = units;
            List<INDArray> extra = new ArrayList<>();
            if (mean != null) {
                extra.add(mean.reshape(n, 1));
            }
            if (var != null) {
                extra.add(var.reshape(n, 1));
            }
            for (int t = 0; t < 2; t++) {
                INDArray v = t == 0 ? gamma : beta;
                if (v == null) {
                    continue;
                }
                int node = addNodes(1, t == 0 ? NodeType.GAMMA : NodeType.BETA, li)[0];
                List<INDArray> cols = new ArrayList<>();
                cols.add(v.reshape(n, 1));
                cols.addAll(extra);
                INDArray values = Nd4j.concat(1, cols.stream().map(a -> a.castTo(DataType.DOUBLE))
                        .toArray(INDArray[]::new));
                int[] src = new int[n];
                Arrays.fill(src, node);
                addEdges(src, units.clone(), values, li, Nd4j.zeros(DataType.DOUBLE, n),
                        t == 0 ? EdgeType.GAMMA : EdgeType.BETA, false);
            }
        }

        private void unknownLayer(LayerWeights layer) {
            if (warnedClasses.add(layer.layerClass())) {
                LOG.warn("Parameter graph: layer '{}' of class {} is not supported; it is represented by a summary "
                        + "node carrying its weight statistics (logged once per layer class and embedder)",
                        layer.name(), layer.layerClass());
            }
            unknown.add(layer.name() + " (" + layer.layerClass() + ")");
            int li = layer.index() + 1;
            int node = addNodes(1, NodeType.UNKNOWN_LAYER, li)[0];
            if (frontier != null) {
                int[] dst = new int[frontier.length];
                Arrays.fill(dst, node);
                addEdges(frontier.clone(), dst, Nd4j.zeros(DataType.DOUBLE, frontier.length, 1), li,
                        Nd4j.zeros(DataType.DOUBLE, frontier.length), EdgeType.UNKNOWN_IN, false);
            }
            List<INDArray> all = layer.params().keySet().stream().sorted()
                    .map(k -> layer.params().get(k).reshape(layer.params().get(k).length()).castTo(DataType.DOUBLE))
                    .toList();
            pendingStats = Nd4j.createFromArray(WeightStatistics.of(Nd4j.concat(0, all.toArray(INDArray[]::new))));
            pendingUnknown = node;
            frontier = null;
        }

        /** Fresh unit nodes for a layer whose inputs do not chain to the current units. */
        private int[] freshInputs(int n, LayerWeights layer) {
            boolean networkInput = nodeTypes.isEmpty();
            if (!networkInput && pendingUnknown < 0) {
                LOG.debug("Parameter graph: layer '{}' expects {} inputs, previous units {}; starting fresh units",
                        layer.name(), n, frontier == null ? 0 : frontier.length);
            }
            int[] nodes = addNodes(n, networkInput ? NodeType.INPUT : NodeType.CUT_INPUT, networkInput ? 0 : layer.index());
            if (networkInput) {
                for (int i = 0; i < n; i++) {
                    nodeScalars.get(nodes[i])[1] = (double) i / n;
                }
            }
            if (pendingUnknown >= 0) {
                int[] src = new int[n];
                Arrays.fill(src, pendingUnknown);
                INDArray stats = pendingStats.reshape(1, pendingStats.length()).repeat(0, n);
                addEdges(src, nodes.clone(), stats, layer.index(), Nd4j.zeros(DataType.DOUBLE, n),
                        EdgeType.UNKNOWN_OUT, false);
                pendingUnknown = -1;
            }
            return nodes;
        }

        private void bias(LayerWeights layer, int[] out, int li) {
            INDArray b = layer.params().get("b");
            if (b == null) {
                return;
            }
            int node = addNodes(1, NodeType.BIAS, li)[0];
            int[] src = new int[out.length];
            Arrays.fill(src, node);
            addEdges(src, out.clone(), b.reshape(out.length, 1), li, Nd4j.zeros(DataType.DOUBLE, out.length),
                    EdgeType.BIAS, false);
        }

        private int[] addNodes(int n, NodeType type, int layerIndex) {
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = nodeTypes.size();
                nodeTypes.add(type.ordinal());
                nodeScalars.add(new double[]{layerIndex, -1.0});
            }
            return ids;
        }

        /** Adds edges; {@code values} [e, ≤ valueWidth] is padded or truncated to valueWidth columns. */
        private void addEdges(int[] src, int[] dst, INDArray values, int layerIndex, INDArray position,
                              EdgeType type, boolean subsample) {
            int e = src.length;
            INDArray v = values.castTo(dataType);
            INDArray pos = position.reshape(e, 1).castTo(dataType);
            if (subsample && maxEdgesPerLayer > 0 && e > maxEdgesPerLayer) {
                long[] keep = sampleSorted(e, maxEdgesPerLayer);
                int[] s2 = new int[keep.length];
                int[] d2 = new int[keep.length];
                for (int i = 0; i < keep.length; i++) {
                    s2[i] = src[(int) keep[i]];
                    d2[i] = dst[(int) keep[i]];
                }
                v = v.getRows(Arrays.stream(keep).mapToInt(x -> (int) x).toArray());
                pos = pos.getRows(Arrays.stream(keep).mapToInt(x -> (int) x).toArray());
                src = s2;
                dst = d2;
                e = keep.length;
            }
            if (v.size(1) > valueWidth) {
                v = v.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, valueWidth));
            } else if (v.size(1) < valueWidth) {
                v = Nd4j.concat(1, v, Nd4j.zeros(dataType, e, valueWidth - v.size(1)));
            }
            srcParts.add(src);
            dstParts.add(dst);
            valueParts.add(v);
            scalarParts.add(Nd4j.concat(1, Nd4j.valueArrayOf(new long[]{e, 1}, layerIndex, dataType), pos));
            int[] types = new int[e];
            Arrays.fill(types, type.ordinal());
            typeParts.add(types);
        }

        private long[] sampleSorted(int n, int k) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            for (int i = 0; i < k; i++) { // partial Fisher-Yates
                int j = i + random.nextInt(n - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            return Arrays.stream(idx, 0, k).sorted().asLongStream().toArray();
        }

        private ParameterGraph assemble() {
            int n = nodeTypes.size();
            double[][] ns = nodeScalars.toArray(double[][]::new);
            INDArray nodeScalarArr = n == 0 ? Nd4j.zeros(dataType, 0, 2) : Nd4j.createFromArray(ns).castTo(dataType);
            INDArray nodeTypeArr = Nd4j.createFromArray(nodeTypes.stream().mapToInt(Integer::intValue).toArray());
            int[] src = concat(srcParts);
            int[] dst = concat(dstParts);
            int[] types = concat(typeParts);
            INDArray values = valueParts.isEmpty() ? Nd4j.zeros(dataType, 0, valueWidth)
                    : Nd4j.concat(0, valueParts.toArray(INDArray[]::new));
            INDArray scalars = scalarParts.isEmpty() ? Nd4j.zeros(dataType, 0, 2)
                    : Nd4j.concat(0, scalarParts.toArray(INDArray[]::new));
            if (src.length == 0) {
                throw new IllegalArgumentException("Network (signature " + network.architectureSignature()
                        + ") has no parameters to build a parameter graph from");
            }
            return new ParameterGraph(1, nodeScalarArr, nodeTypeArr, Nd4j.createFromArray(src),
                    Nd4j.createFromArray(dst), values, scalars, Nd4j.createFromArray(types),
                    Nd4j.zeros(DataType.INT32, src.length), Nd4j.zeros(DataType.INT32, n), unknown);
        }

        private int[] concat(List<int[]> parts) {
            int total = parts.stream().mapToInt(a -> a.length).sum();
            int[] out = new int[total];
            int off = 0;
            for (int[] p : parts) {
                System.arraycopy(p, 0, out, off, p.length);
                off += p.length;
            }
            return out;
        }
    }
}
