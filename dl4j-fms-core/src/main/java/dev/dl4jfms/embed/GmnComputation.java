package dev.dl4jfms.embed;

import dev.dl4jfms.graph.ParameterGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward pass of the graph metanetwork with a hand-written backward pass, in ND4J array operations only (matrix
 * products, element-wise ops, row gathers ({@code pullRows}) and {@code scatter_add}), so it runs on any ND4J
 * backend.
 *
 * <p>Why not SameDiff autodiff: in ND4J 1.0.0-M2.1 SameDiff's gradient of {@code gather} is built from a
 * control-flow loop of {@code put} ops that fails ("Unable to replace samediff namespace") once a graph holds two
 * gathers and would iterate once per gathered row anyway. Message passing needs gathers, so the backward pass is
 * written out here (gather ↔ segment sum are each other's adjoints) and checked against central finite
 * differences in double precision and against an independent SameDiff forward pass in the tests.
 */
final class GmnComputation {

    private static final double LN_EPS = 1e-5;

    private final GmnParameters params;
    private final ParameterGraph g;
    private final Map<String, INDArray> p;
    private final DataType dt;
    private final INDArray src;
    private final INDArray dst;
    private final INDArray edgeGraph;
    // The same indices as Java arrays, converted once: pullRows takes int[] and is called several times per block.
    private final int[] srcRows;
    private final int[] dstRows;
    private final int[] edgeGraphRows;
    private final INDArray invInDegree;
    private final INDArray invEdgeCount;

    // tape
    private INDArray nodeIn;
    private INDArray edgeIn;
    private INDArray nodeZ;
    private INDArray edgeZ;
    private final List<Block> blocks = new ArrayList<>();
    private INDArray eFinal;
    private INDArray readZ;
    private INDArray pooled;
    private INDArray hiddenZ;
    private INDArray hidden;
    private INDArray out;

    /** Intermediates of one message-passing block. */
    private static final class Block {
        LayerNormTape nodeLn;
        LayerNormTape edgeLn;
        INDArray edgeInput;
        INDArray edgeZ;
        INDArray eNew;
        INDArray msgInput;
        INDArray msgZ;
        INDArray nodeInput;
        INDArray nodeZ;
    }

    /** Intermediates of one layer normalisation. */
    private record LayerNormTape(INDArray normalised, INDArray rstd, INDArray output) {
    }

    GmnComputation(GmnParameters params, ParameterGraph g) {
        this.params = params;
        this.g = g;
        this.p = params.values();
        this.dt = params.dataType();
        this.src = g.edgeSources().castTo(DataType.INT32);
        this.dst = g.edgeTargets().castTo(DataType.INT32);
        this.edgeGraph = g.edgeGraphs().castTo(DataType.INT32);
        this.srcRows = src.toIntVector();
        this.dstRows = dst.toIntVector();
        this.edgeGraphRows = edgeGraph.toIntVector();
        this.invInDegree = inverseCounts(g.edgeTargets(), g.numNodes(), dt);
        this.invEdgeCount = inverseCounts(g.edgeGraphs(), g.numGraphs(), dt);
    }

    /** Embeddings [numGraphs, outputs]. */
    INDArray forward() {
        nodeIn = g.nodeScalars().castTo(dt);
        edgeIn = Nd4j.concat(1, g.edgeValues().castTo(dt), g.edgeScalars().castTo(dt));
        nodeZ = linear(nodeIn, "nodeEnc");
        edgeZ = linear(edgeIn, "edgeEnc");
        INDArray x = Transforms.sin(nodeZ, true).addi(gather(p.get("nodeType_emb"), g.nodeTypes().toIntVector()));
        INDArray e = Transforms.sin(edgeZ, true).addi(gather(p.get("edgeType_emb"), g.edgeTypes().toIntVector()));
        blocks.clear();
        for (int k = 0; k < params.blocks(); k++) {
            Block b = new Block();
            b.nodeLn = layerNorm(x, blockParam(k, "lnNode_g"), blockParam(k, "lnNode_b"));
            b.edgeLn = layerNorm(e, blockParam(k, "lnEdge_g"), blockParam(k, "lnEdge_b"));
            INDArray xs = gather(b.nodeLn.output(), srcRows);
            INDArray xd = gather(b.nodeLn.output(), dstRows);
            b.edgeInput = Nd4j.concat(1, xs, xd, b.edgeLn.output());
            b.edgeZ = linear(b.edgeInput, GmnParameters.block(k, "edge"));
            b.eNew = Transforms.relu(b.edgeZ, true);
            b.msgInput = Nd4j.concat(1, xs, b.eNew);
            b.msgZ = linear(b.msgInput, GmnParameters.block(k, "msg"));
            INDArray msg = Transforms.relu(b.msgZ, true);
            INDArray agg = segmentSum(msg, dst, g.numNodes()).muliColumnVector(invInDegree);
            b.nodeInput = Nd4j.concat(1, b.nodeLn.output(), agg);
            b.nodeZ = linear(b.nodeInput, GmnParameters.block(k, "node"));
            x = x.add(Transforms.relu(b.nodeZ, true));
            e = e.add(b.eNew);
            blocks.add(b);
        }
        eFinal = e;
        readZ = linear(e, "readEdge");
        pooled = segmentSum(Transforms.relu(readZ, true), edgeGraph, g.numGraphs()).muliColumnVector(invEdgeCount);
        hiddenZ = linear(pooled, "readHidden");
        hidden = Transforms.relu(hiddenZ, true);
        out = Transforms.sigmoid(linear(hidden, "readOut"), true);
        return out;
    }

    /** Gradients of Σ dOut ∘ forward() with respect to every parameter; call after {@link #forward()}. */
    Map<String, INDArray> backward(INDArray dOut) {
        Map<String, INDArray> grad = new HashMap<>();
        INDArray dZo = dOut.castTo(dt).mul(out).muli(out.rsub(1.0));
        INDArray dHidden = linearBackward(hidden, dZo, "readOut", grad);
        INDArray dPooled = linearBackward(pooled, dHidden.muli(step(hiddenZ)), "readHidden", grad);
        INDArray dRead = gather(dPooled.mulColumnVector(invEdgeCount), edgeGraphRows).muli(step(readZ));
        INDArray de = linearBackward(eFinal, dRead, "readEdge", grad);
        INDArray dx = Nd4j.zeros(dt, g.numNodes(), params.hidden());
        int h = params.hidden();
        for (int k = params.blocks() - 1; k >= 0; k--) {
            Block b = blocks.get(k);
            // x_out = x + relu(nodeZ); e_out = e + eNew
            INDArray dNodeIn = linearBackward(b.nodeInput, dx.mul(step(b.nodeZ)), GmnParameters.block(k, "node"), grad);
            INDArray dxn = cols(dNodeIn, 0, h).dup();
            INDArray dAgg = cols(dNodeIn, h, 2 * h).mulColumnVector(invInDegree);
            INDArray dMsgZ = gather(dAgg, dstRows).muli(step(b.msgZ));
            INDArray dMsgIn = linearBackward(b.msgInput, dMsgZ, GmnParameters.block(k, "msg"), grad);
            INDArray dxs = cols(dMsgIn, 0, h).dup();
            INDArray dENew = de.add(cols(dMsgIn, h, 2 * h));
            INDArray dEdgeIn = linearBackward(b.edgeInput, dENew.muli(step(b.edgeZ)),
                    GmnParameters.block(k, "edge"), grad);
            dxs.addi(cols(dEdgeIn, 0, h));
            INDArray dxd = cols(dEdgeIn, h, 2 * h);
            INDArray den = cols(dEdgeIn, 2 * h, 3 * h);
            dxn.addi(segmentSum(dxs, src, g.numNodes())).addi(segmentSum(dxd.dup(), dst, g.numNodes()));
            dx = dx.add(layerNormBackward(b.nodeLn, dxn, k, "lnNode", grad));
            de = de.add(layerNormBackward(b.edgeLn, den.dup(), k, "lnEdge", grad));
        }
        // encoders: x0 = sin(nodeZ) + emb[type]
        grad.put("nodeType_emb", segmentSum(dx, g.nodeTypes().castTo(DataType.INT32),
                (int) p.get("nodeType_emb").size(0)));
        grad.put("edgeType_emb", segmentSum(de, g.edgeTypes().castTo(DataType.INT32),
                (int) p.get("edgeType_emb").size(0)));
        linearBackward(nodeIn, dx.mul(Transforms.cos(nodeZ, true)), "nodeEnc", grad);
        linearBackward(edgeIn, de.mul(Transforms.cos(edgeZ, true)), "edgeEnc", grad);
        return grad;
    }

    private INDArray blockParam(int k, String name) {
        return p.get(GmnParameters.block(k, name));
    }

    private INDArray linear(INDArray in, String prefix) {
        return in.mmul(p.get(prefix + "_W")).addiRowVector(p.get(prefix + "_b"));
    }

    /** Stores dW, db for {@code prefix}; returns dIn. */
    private INDArray linearBackward(INDArray in, INDArray dZ, String prefix, Map<String, INDArray> grad) {
        grad.put(prefix + "_W", in.transpose().mmul(dZ));
        grad.put(prefix + "_b", dZ.sum(0));
        return dZ.mmul(p.get(prefix + "_W").transpose());
    }

    private LayerNormTape layerNorm(INDArray in, INDArray gain, INDArray shift) {
        INDArray centred = in.subColumnVector(in.mean(true, 1));
        INDArray rstd = Transforms.pow(centred.mul(centred).mean(true, 1).addi(LN_EPS), -0.5, false);
        INDArray normalised = centred.muliColumnVector(rstd);
        return new LayerNormTape(normalised, rstd, normalised.mulRowVector(gain).addiRowVector(shift));
    }

    private INDArray layerNormBackward(LayerNormTape t, INDArray dOut, int k, String prefix,
                                       Map<String, INDArray> grad) {
        grad.put(GmnParameters.block(k, prefix + "_g"), dOut.mul(t.normalised()).sum(0));
        grad.put(GmnParameters.block(k, prefix + "_b"), dOut.sum(0));
        INDArray dHat = dOut.mulRowVector(blockParam(k, prefix + "_g"));
        INDArray meanD = dHat.mean(true, 1);
        INDArray meanDHat = dHat.mul(t.normalised()).mean(true, 1);
        return dHat.subiColumnVector(meanD).subi(t.normalised().mulColumnVector(meanDHat)).muliColumnVector(t.rstd());
    }

    private static INDArray step(INDArray z) {
        return z.gt(0).castTo(z.dataType());
    }

    private static INDArray cols(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    /*
     * Why pullRows and scatter_add rather than the gather / unsorted_segment_sum custom ops: in ND4J 1.0.0-M2.1 each
     * unsorted_segment_sum call kept ~250 KB of native memory (about its input's size) that the garbage collector
     * did not give back, and gather's outputs were released far too late; a GMN refit runs thousands of them and
     * grew to 8 GB in a minute. pullRows (a legacy op) and scatter_add stay flat (measured: 10,000 scatter_add calls
     * on a 1000x32 input +41 MB resident, unsorted_segment_sum +3.4 GB).
     */
    static INDArray gather(INDArray rows, int[] indices) {
        return Nd4j.pullRows(rows, 1, indices);
    }

    static INDArray segmentSum(INDArray data, INDArray ids, int segments) {
        INDArray zeros = Nd4j.zeros(data.dataType(), segments, data.size(1));
        return Nd4j.exec(new ScatterAdd(zeros, ids.castTo(DataType.INT32), data))[0];
    }

    /** [n, 1] array of 1 / (number of occurrences of each id in {@code ids}), 0 where an id does not occur. */
    static INDArray inverseCounts(INDArray ids, int n, DataType dt) {
        INDArray counts = segmentSum(Nd4j.ones(dt, ids.length(), 1), ids, n);
        INDArray inv = Transforms.max(counts, 1.0, true).rdivi(1.0);
        return inv.muli(counts.gt(0).castTo(dt));
    }
}
