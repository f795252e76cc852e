package dev.dl4jfms.gp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * Independent reference for {@link FeatureExtractor}: the same network built op by op as a SameDiff graph (SameDiff's
 * own conv1d, reductions and automatic differentiation), with the parameter values copied from the extractor under
 * test. The gradient is SameDiff's gradient of {@code Σ (∂NLL/∂z) ∘ z}, which equals the NLL's gradient w.r.t. every
 * weight because ∂NLL/∂z is a constant of the graph.
 */
final class SameDiffFeatureExtractorReference {
    private final SameDiff sd = SameDiff.create();
    private final List<String> names;
    private final boolean useCurve;
    private final int embeddingDim;

    SameDiffFeatureExtractorReference(FeatureExtractor fe) {
        this.names = fe.parameterNames();
        this.useCurve = fe.usesCurve();
        this.embeddingDim = fe.embeddingDim();
        DataType dt = fe.dataType();
        Map<String, SDVariable> p = new HashMap<>();
        fe.parameters().forEach((k, v) -> p.put(k, sd.var(k, v.dup())));

        SDVariable x = sd.placeHolder("x", dt, -1, fe.inputDim() + 1);
        SDVariable h = x.mmul(p.get("w1")).add(p.get("b1"));
        SDVariable centred = h.sub(h.mean(true, 0));
        SDVariable var = centred.mul(centred).mean(true, 0);
        SDVariable bn = centred.div(sd.math().sqrt(var.add(FeatureExtractor.BN_EPS)))
                .mul(p.get("bnGamma")).add(p.get("bnBeta"));
        List<SDVariable> parts = new ArrayList<>();
        parts.add(sd.nn().leakyRelu(bn, FeatureExtractor.LEAKY_SLOPE));
        if (useCurve) {
            SDVariable curve = sd.placeHolder("curve", dt, -1, 1, -1);
            Conv1DConfig cfg = Conv1DConfig.builder().k(FeatureExtractor.CURVE_KERNEL).s(1).p(0).d(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NCW").build();
            parts.add(sd.cnn().conv1d(curve, p.get("convW"), p.get("convB"), cfg).max(2));
        }
        if (embeddingDim > 0) {
            parts.add(sd.placeHolder("embedding", dt, -1, embeddingDim));
        }
        SDVariable merged = parts.size() == 1 ? parts.get(0) : sd.concat(1, parts.toArray(new SDVariable[0]));
        SDVariable z = sd.nn().leakyRelu("z", merged.mmul(p.get("w2")).add(p.get("b2")),
                FeatureExtractor.LEAKY_SLOPE);
        SDVariable dz = sd.placeHolder("dz", dt, -1, FeatureExtractor.OUTPUT_DIM);
        sd.sum("loss", dz.mul(z));
        sd.setLossVariables("loss");
    }

    private Map<String, INDArray> placeholders(FeatureExtractor.Inputs in) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("x", in.xBudget());
        if (useCurve) {
            ph.put("curve", in.curve());
        }
        if (embeddingDim > 0) {
            ph.put("embedding", in.embedding());
        }
        return ph;
    }

    /** Training-mode features z. */
    INDArray forward(FeatureExtractor.Inputs in) {
        return sd.output(placeholders(in), "z").get("z").dup();
    }

    /** SameDiff's gradients w.r.t. every parameter and (with a weight branch) the embedding input. */
    Map<String, INDArray> gradients(FeatureExtractor.Inputs in, INDArray dz) {
        Map<String, INDArray> ph = placeholders(in);
        ph.put("dz", dz);
        List<String> wanted = new ArrayList<>(names);
        if (embeddingDim > 0) {
            wanted.add("embedding");
        }
        return sd.calculateGradients(ph, wanted);
    }
}
