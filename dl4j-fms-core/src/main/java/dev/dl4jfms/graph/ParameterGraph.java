package dev.dl4jfms.graph;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameter graph of one network, or the disjoint union of several (a batch), stored as ND4J arrays so that
 * message passing is gather / segment-sum arithmetic.
 *
 * <p>Nodes are input units/channels, neurons/output channels, one bias node per layer, γ and β nodes of batch
 * normalisation layers, and one summary node per layer the builder does not understand (see
 * {@link ParameterGraphBuilder}). Every edge is directed (source feeds destination).
 *
 * <ul>
 *   <li>{@code nodeScalars} [N, 2]: layer index (0 for network inputs, l + 1 for what layer l creates) and position
 *       ({@code i / n} for the i-th of n network input or output units, −1 elsewhere).</li>
 *   <li>{@code nodeTypes} [N] INT32: {@link NodeType} ordinals.</li>
 *   <li>{@code edgeSources}, {@code edgeTargets} [E] INT32: node indices.</li>
 *   <li>{@code edgeValues} [E, valueWidth]: the parameter value(s) — one weight in column 0 for dense/bias edges,
 *       a (chunk of a) flattened convolution kernel for convolution edges, zero-padded.</li>
 *   <li>{@code edgeScalars} [E, 2]: layer index and position (kernel chunk or flattened spatial position in
 *       [0, 1); 0 for plain weights).</li>
 *   <li>{@code edgeTypes} [E] INT32: {@link EdgeType} ordinals.</li>
 *   <li>{@code edgeGraphs} [E] INT32 and {@code nodeGraphs} [N] INT32: which network of the batch (0 for a single
 *       graph).</li>
 * </ul>
 */
public final class ParameterGraph {

    /** Node types; the ordinal is the type id fed to learned type embeddings. */
    public enum NodeType { INPUT, NEURON, CHANNEL, BIAS, GAMMA, BETA, UNKNOWN_LAYER, CUT_INPUT }

    /** Edge types; the ordinal is the type id fed to learned type embeddings. */
    public enum EdgeType { DENSE, BIAS, CONV, GAMMA, BETA, UNKNOWN_IN, UNKNOWN_OUT, RESIDUAL }

    private final int numNodes;
    private final int numEdges;
    private final int numGraphs;
    private final INDArray nodeScalars;
    private final INDArray nodeTypes;
    private final INDArray edgeSources;
    private final INDArray edgeTargets;
    private final INDArray edgeValues;
    private final INDArray edgeScalars;
    private final INDArray edgeTypes;
    private final INDArray edgeGraphs;
    private final INDArray nodeGraphs;
    private final List<String> unknownLayers;

    ParameterGraph(int numGraphs, INDArray nodeScalars, INDArray nodeTypes, INDArray edgeSources,
                   INDArray edgeTargets, INDArray edgeValues, INDArray edgeScalars, INDArray edgeTypes,
                   INDArray edgeGraphs, INDArray nodeGraphs, List<String> unknownLayers) {
        this.numGraphs = numGraphs;
        this.numNodes = (int) nodeTypes.length();
        this.numEdges = (int) edgeTypes.length();
        this.nodeScalars = nodeScalars;
        this.nodeTypes = nodeTypes;
        this.edgeSources = edgeSources;
        this.edgeTargets = edgeTargets;
        this.edgeValues = edgeValues;
        this.edgeScalars = edgeScalars;
        this.edgeTypes = edgeTypes;
        this.edgeGraphs = edgeGraphs;
        this.nodeGraphs = nodeGraphs;
        this.unknownLayers = List.copyOf(unknownLayers);
    }

    /**
     * The disjoint union of {@code graphs} (node indices offset, graph ids renumbered 0..), so that one message
     * passing pass embeds them all. All graphs must have the same value width and data type.
     */
    public static ParameterGraph union(List<ParameterGraph> graphs) {
        if (graphs.isEmpty()) {
            throw new IllegalArgumentException("union of no graphs");
        }
        if (graphs.size() == 1) {
            return graphs.get(0);
        }
        long width = graphs.get(0).valueWidth();
        List<INDArray> ns = new ArrayList<>(), nt = new ArrayList<>(), src = new ArrayList<>(), dst = new ArrayList<>(),
                ev = new ArrayList<>(), es = new ArrayList<>(), et = new ArrayList<>(), eg = new ArrayList<>(),
                ng = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int nodeOffset = 0;
        int graphOffset = 0;
        for (ParameterGraph g : graphs) {
            if (g.valueWidth() != width) {
                throw new IllegalArgumentException("graphs with value widths " + width + " and " + g.valueWidth()
                        + " cannot be batched");
            }
            ns.add(g.nodeScalars);
            nt.add(g.nodeTypes);
            src.add(g.edgeSources.add(nodeOffset));
            dst.add(g.edgeTargets.add(nodeOffset));
            ev.add(g.edgeValues);
            es.add(g.edgeScalars);
            et.add(g.edgeTypes);
            eg.add(g.edgeGraphs.add(graphOffset));
            ng.add(g.nodeGraphs.add(graphOffset));
            unknown.addAll(g.unknownLayers);
            nodeOffset += g.numNodes;
            graphOffset += g.numGraphs;
        }
        return new ParameterGraph(graphOffset, cat0(ns), cat1d(nt), cat1d(src), cat1d(dst), cat0(ev), cat0(es),
                cat1d(et), cat1d(eg), cat1d(ng), unknown);
    }

    private static INDArray cat0(List<INDArray> parts) {
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static INDArray cat1d(List<INDArray> parts) {
        return Nd4j.concat(0, parts.stream().map(a -> a.reshape(a.length())).toArray(INDArray[]::new));
    }

    public int numNodes() {
        return numNodes;
    }

    public int numEdges() {
        return numEdges;
    }

    /** Number of networks in this (possibly batched) graph. */
    public int numGraphs() {
        return numGraphs;
    }

    public long valueWidth() {
        return edgeValues.size(1);
    }

    public DataType dataType() {
        return edgeValues.dataType();
    }

    public INDArray nodeScalars() {
        return nodeScalars;
    }

    public INDArray nodeTypes() {
        return nodeTypes;
    }

    public INDArray edgeSources() {
        return edgeSources;
    }

    public INDArray edgeTargets() {
        return edgeTargets;
    }

    public INDArray edgeValues() {
        return edgeValues;
    }

    public INDArray edgeScalars() {
        return edgeScalars;
    }

    public INDArray edgeTypes() {
        return edgeTypes;
    }

    public INDArray edgeGraphs() {
        return edgeGraphs;
    }

    public INDArray nodeGraphs() {
        return nodeGraphs;
    }

    /** "name (LayerClass)" of every layer that was represented by a statistics summary node. */
    public List<String> unknownLayers() {
        return unknownLayers;
    }

    @Override
    public String toString() {
        return "ParameterGraph[graphs=" + numGraphs + ", nodes=" + numNodes + ", edges=" + numEdges
                + ", valueWidth=" + valueWidth() + "]";
    }
}
