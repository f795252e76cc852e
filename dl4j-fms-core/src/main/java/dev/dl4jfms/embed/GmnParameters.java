package dev.dl4jfms.embed;

import dev.dl4jfms.graph.ParameterGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The named parameter arrays of a {@link GraphMetanetworkEmbedder}, in a fixed order that defines the flat
 * parameter vector. Linear weights are [in, out], biases and LayerNorm gains/shifts are 1-d [out].
 */
final class GmnParameters {

    /** Scalar node features: layer index, position. */
    static final int NODE_SCALARS = 2;
    /** Scalar edge features besides the value vector: layer index, position. */
    static final int EDGE_SCALARS = 2;

    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, INDArray> values = new LinkedHashMap<>();
    private final DataType dataType;
    private final int hidden;
    private final int blocks;
    private final long valueWidth;
    private final double encoderScale;

    GmnParameters(int hidden, int blocks, int outputs, long valueWidth, double encoderScale, DataType dataType) {
        this.hidden = hidden;
        this.blocks = blocks;
        this.valueWidth = valueWidth;
        this.encoderScale = encoderScale;
        this.dataType = dataType;
        int nodeTypes = ParameterGraph.NodeType.values().length;
        int edgeTypes = ParameterGraph.EdgeType.values().length;
        shapes.put("nodeEnc_W", new long[]{NODE_SCALARS, hidden});
        shapes.put("nodeEnc_b", new long[]{hidden});
        shapes.put("nodeType_emb", new long[]{nodeTypes, hidden});
        shapes.put("edgeEnc_W", new long[]{valueWidth + EDGE_SCALARS, hidden});
        shapes.put("edgeEnc_b", new long[]{hidden});
        shapes.put("edgeType_emb", new long[]{edgeTypes, hidden});
        for (int k = 0; k < blocks; k++) {
            shapes.put(block(k, "lnNode_g"), new long[]{hidden});
            shapes.put(block(k, "lnNode_b"), new long[]{hidden});
            shapes.put(block(k, "lnEdge_g"), new long[]{hidden});
            shapes.put(block(k, "lnEdge_b"), new long[]{hidden});
            shapes.put(block(k, "edge_W"), new long[]{3L * hidden, hidden});
            shapes.put(block(k, "edge_b"), new long[]{hidden});
            shapes.put(block(k, "msg_W"), new long[]{2L * hidden, hidden});
            shapes.put(block(k, "msg_b"), new long[]{hidden});
            shapes.put(block(k, "node_W"), new long[]{2L * hidden, hidden});
            shapes.put(block(k, "node_b"), new long[]{hidden});
        }
        shapes.put("readEdge_W", new long[]{hidden, hidden});
        shapes.put("readEdge_b", new long[]{hidden});
        shapes.put("readHidden_W", new long[]{hidden, hidden});
        shapes.put("readHidden_b", new long[]{hidden});
        shapes.put("readOut_W", new long[]{hidden, outputs});
        shapes.put("readOut_b", new long[]{outputs});
    }

    static String block(int k, String name) {
        return "block" + k + "_" + name;
    }

    int hidden() {
        return hidden;
    }

    int blocks() {
        return blocks;
    }

    long valueWidth() {
        return valueWidth;
    }

    DataType dataType() {
        return dataType;
    }

    /**
     * Fresh values from {@code seed}: linear weights N(0, 1/fan-in) (He-like for ReLU: 2/fan-in), encoder weights
     * N(0, encoderScale²) so that the sine features resolve small weight values, type embeddings N(0, 1), biases
     * and LayerNorm shifts 0, LayerNorm gains 1.
     */
    void reset(long seed) {
        java.util.Random rng = new java.util.Random(seed);
        values.clear();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            INDArray a;
            if (name.endsWith("_g")) {
                a = Nd4j.ones(dataType, shape);
            } else if (shape.length == 1) {
                a = Nd4j.zeros(dataType, shape);
            } else {
                double std;
                if (name.startsWith("nodeEnc") || name.startsWith("edgeEnc")) {
                    std = encoderScale;
                } else if (name.startsWith("readOut")) {
                    std = Math.sqrt(1.0 / shape[0]); // keeps the sigmoid out of saturation at the start
                } else if (name.endsWith("_emb")) {
                    std = 1.0;
                } else {
                    std = Math.sqrt(2.0 / shape[0]);
                }
                double[] data = new double[(int) (shape[0] * shape[1])];
                for (int i = 0; i < data.length; i++) {
                    data[i] = rng.nextGaussian() * std;
                }
                a = Nd4j.createFromArray(data).reshape(shape).castTo(dataType);
            }
            values.put(name, a);
        }
    }

    List<String> names() {
        return new ArrayList<>(shapes.keySet());
    }

    Map<String, INDArray> values() {
        return Collections.unmodifiableMap(values);
    }

    long count() {
        return shapes.values().stream().mapToLong(s -> {
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            return n;
        }).sum();
    }

    INDArray flat() {
        return Nd4j.concat(1, values.values().stream().map(a -> a.reshape(1, a.length()))
                .toArray(INDArray[]::new)).castTo(dataType);
    }

    /** Flattens a map of per-parameter arrays (e.g. gradients) in parameter order. */
    INDArray flatten(Map<String, INDArray> perName) {
        List<INDArray> parts = new ArrayList<>();
        for (String name : shapes.keySet()) {
            INDArray a = perName.get(name);
            if (a == null) { // parameter not reached by the graph (cannot happen with the current ops) -> zero grad
                a = Nd4j.zeros(dataType, shapes.get(name));
            }
            parts.add(a.reshape(1, a.length()).castTo(dataType));
        }
        return Nd4j.concat(1, parts.toArray(INDArray[]::new));
    }

    void setFlat(INDArray flat) {
        long n = count();
        if (flat == null || flat.length() != n) {
            throw new IllegalArgumentException("GMN parameter vector must have " + n + " elements, got "
                    + (flat == null ? "null" : flat.length()));
        }
        INDArray row = flat.reshape(1, n).castTo(dataType);
        long off = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long len = 1;
            for (long d : e.getValue()) {
                len *= d;
            }
            INDArray part = row.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(off, off + len));
            values.put(e.getKey(), part.dup().reshape(e.getValue()));
            off += len;
        }
    }
}
