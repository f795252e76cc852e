package dev.dl4jfms.embed;

import dev.dl4jfms.graph.ParameterGraph;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Independent reference implementation of the GMN forward pass in SameDiff (built op by op from the spec), used to
 * check the hand-written ND4J forward pass of {@link GmnComputation}.
 */
final class SameDiffGmnReference {

    static final String OUTPUT = "embedding";
    static final String UPSTREAM = "dLossDEmbedding";

    private SameDiffGmnReference() {
    }

    static INDArray embed(GraphMetanetworkEmbedder embedder, ParameterGraph g) {
        SameDiff sd = build(embedder.parameterStore(), embedder.dimension(), g, false);
        return sd.output(inputs(embedder.parameterStore(), g, null), OUTPUT).get(OUTPUT);
    }

    static Map<String, INDArray> inputs(GmnParameters params, ParameterGraph g, INDArray upstream) {
        DataType dt = params.dataType();
        Map<String, INDArray> in = new HashMap<>();
        in.put("nodeScalars", g.nodeScalars().castTo(dt));
        in.put("edgeFeatures", Nd4j.concat(1, g.edgeValues().castTo(dt), g.edgeScalars().castTo(dt)));
        if (upstream != null) {
            in.put(UPSTREAM, upstream.castTo(dt));
        }
        return in;
    }

    /**
     * The SameDiff graph for one (batched) parameter graph. Index arrays and degree normalisers are constants;
     * numbers of nodes and graphs are baked into the segment ops, so the graph is rebuilt per batch (cheap
     * compared with executing it).
     */
    static SameDiff build(GmnParameters params, int outputs, ParameterGraph g, boolean withLoss) {
        DataType dt = params.dataType();
        int h = params.hidden();
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> p = new HashMap<>();
        for (Map.Entry<String, INDArray> e : params.values().entrySet()) {
            p.put(e.getKey(), sd.var(e.getKey(), e.getValue().dup()));
        }
        SDVariable nodeScalars = sd.placeHolder("nodeScalars", dt, -1, GmnParameters.NODE_SCALARS);
        SDVariable edgeFeatures = sd.placeHolder("edgeFeatures", dt, -1,
                params.valueWidth() + GmnParameters.EDGE_SCALARS);
        SDVariable nodeTypes = sd.constant("nodeTypes", g.nodeTypes().castTo(DataType.INT32));
        SDVariable edgeTypes = sd.constant("edgeTypes", g.edgeTypes().castTo(DataType.INT32));
        SDVariable src = sd.constant("src", g.edgeSources().castTo(DataType.INT32));
        SDVariable dst = sd.constant("dst", g.edgeTargets().castTo(DataType.INT32));
        SDVariable edgeGraph = sd.constant("edgeGraph", g.edgeGraphs().castTo(DataType.INT32));
        SDVariable invInDegree = sd.constant("invInDegree", GmnComputation.inverseCounts(g.edgeTargets(), g.numNodes(), dt));
        SDVariable invEdgeCount = sd.constant("invEdgeCount", GmnComputation.inverseCounts(g.edgeGraphs(), g.numGraphs(), dt));

        SDVariable x = sd.math.sin(sd.nn.biasAdd(nodeScalars.mmul(p.get("nodeEnc_W")), p.get("nodeEnc_b"), true))
                .add(sd.gather(p.get("nodeType_emb"), nodeTypes, 0));
        SDVariable e = sd.math.sin(sd.nn.biasAdd(edgeFeatures.mmul(p.get("edgeEnc_W")), p.get("edgeEnc_b"), true))
                .add(sd.gather(p.get("edgeType_emb"), edgeTypes, 0));
        for (int k = 0; k < params.blocks(); k++) {
            SDVariable xn = layerNorm(sd, x, p.get(GmnParameters.block(k, "lnNode_g")),
                    p.get(GmnParameters.block(k, "lnNode_b")));
            SDVariable en = layerNorm(sd, e, p.get(GmnParameters.block(k, "lnEdge_g")),
                    p.get(GmnParameters.block(k, "lnEdge_b")));
            SDVariable xs = sd.gather(xn, src, 0);
            SDVariable xd = sd.gather(xn, dst, 0);
            SDVariable eNew = linearRelu(sd, sd.concat(1, xs, xd, en), p, GmnParameters.block(k, "edge"));
            SDVariable msg = linearRelu(sd, sd.concat(1, xs, eNew), p, GmnParameters.block(k, "msg"));
            SDVariable agg = sd.unsortedSegmentSum(msg, dst, g.numNodes()).mul(invInDegree);
            SDVariable xNew = linearRelu(sd, sd.concat(1, xn, agg), p, GmnParameters.block(k, "node"));
            x = x.add(xNew);
            e = e.add(eNew);
        }
        SDVariable r = linearRelu(sd, e, p, "readEdge");
        SDVariable pooled = sd.unsortedSegmentSum(r, edgeGraph, g.numGraphs()).mul(invEdgeCount);
        SDVariable hidden = linearRelu(sd, pooled, p, "readHidden");
        SDVariable out = sd.nn.sigmoid(OUTPUT,
                sd.nn.biasAdd(hidden.mmul(p.get("readOut_W")), p.get("readOut_b"), true));
        if (withLoss) {
            SDVariable upstream = sd.placeHolder(UPSTREAM, dt, -1, outputs);
            SDVariable loss = sd.sum("loss", out.mul(upstream));
            sd.setLossVariables(loss);
        }
        if (h <= 0) {
            throw new IllegalStateException("hidden width must be positive");
        }
        return sd;
    }

    private static SDVariable linearRelu(SameDiff sd, SDVariable in, Map<String, SDVariable> p, String prefix) {
        return sd.nn.relu(sd.nn.biasAdd(in.mmul(p.get(prefix + "_W")), p.get(prefix + "_b"), true), 0.0);
    }

    private static SDVariable layerNorm(SameDiff sd, SDVariable in, SDVariable gain, SDVariable shift) {
        SDVariable centred = in.sub(sd.mean(in, true, 1));
        SDVariable variance = sd.mean(centred.mul(centred), true, 1);
        SDVariable normed = centred.div(sd.math.sqrt(variance.add(1e-5)));
        return sd.nn.biasAdd(normed.mul(gain), shift, true);
    }

}
