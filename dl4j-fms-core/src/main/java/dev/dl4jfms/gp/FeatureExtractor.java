package dev.dl4jfms.gp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The deep-kernel feature extractor ψ of spec section 4, as a SameDiff graph:
 * <pre>
 *   [x, budget] → Linear(d+1 → 64) → BatchNorm → LeakyReLU(0.01)              (always)
 *   curve [n, 1, P] → Conv1d(1 → 4, kernel 3, no padding) → global max pool    (optional)
 *   weight embedding [n, e]                                                   (optional, e from the embedder)
 *   concat → Linear(→ 128) → LeakyReLU(0.01) = z
 * </pre>
 * The GP itself is evaluated outside the graph ({@link ExactGp}); gradients flow back through a surrogate loss
 * whose gradient w.r.t. every network weight equals that of the NLL: either {@code Σ_ij G_ij K_ij(z)} with
 * {@code G = ∂NLL/∂K_y}, {@code s²}, {@code 1/(2ℓ²)} fed as constants (K_y = K + σ²I and σ² does not depend on the
 * network), or, by default and cheaper, {@code Σ (∂NLL/∂z) ∘ z} with the analytic ∂NLL/∂z (see {@link BackpropMode}).
 *
 * <p><b>BatchNorm mode.</b> Fitting is full batch, so training-mode batch statistics are the statistics of the whole
 * training set. After a fit the forecaster stores them ({@link #TRAIN_BN_MEAN}, {@link #TRAIN_BN_VAR} outputs) and
 * predicts with {@link #Z_INFER}, which normalises with those stored statistics. Hence a training row gets exactly
 * the same z at prediction time as in the GP fit, and a query's z does not depend on the other queries. There are
 * no running averages (they would lag behind the current weights).
 */
public final class FeatureExtractor {

    public static final int HIDDEN_CONFIG = 64;
    public static final int CURVE_CHANNELS = 4;
    public static final int CURVE_KERNEL = 3;
    public static final int OUTPUT_DIM = 128;
    static final double LEAKY_SLOPE = 0.01;
    static final double BN_EPS = 1e-5;

    static final String X = "xBudget";
    static final String CURVE = "curve";
    static final String EMBEDDING = "embedding";
    static final String G = "dNllDKy";
    static final String SIGNAL_VAR = "signalVariance";
    static final String INV_TWO_ELL2 = "invTwoLengthscaleSq";
    static final String BN_MEAN_IN = "bnMeanIn";
    static final String BN_VAR_IN = "bnVarIn";
    static final String Z_TRAIN = "zTrain";
    static final String Z_INFER = "zInfer";
    static final String TRAIN_BN_MEAN = "bnBatchMean";
    static final String TRAIN_BN_VAR = "bnBatchVar";
    static final String LOSS = "surrogateLoss";
    static final String DZ = "dNllDz";

    private final int inputDim;
    private final boolean useCurve;
    private final int embeddingDim;
    private final DataType dataType;
    private final BackpropMode backpropMode;
    private final SameDiff sd;
    private final List<String> parameterNames = new ArrayList<>();

    /**
     * @param inputDim     d, length of the configuration vector
     * @param useCurve     whether the learning-curve branch exists
     * @param embeddingDim size of the weight embedding, 0 for no weight branch (DyHPO)
     * @param dataType     FLOAT or DOUBLE for every array
     * @param seed         initialisation seed
     */
    public FeatureExtractor(int inputDim, boolean useCurve, int embeddingDim, DataType dataType, long seed) {
        this(inputDim, useCurve, embeddingDim, dataType, seed, BackpropMode.Z_GRADIENT);
    }

    /**
     * As {@link #FeatureExtractor(int, boolean, int, DataType, long)} with an explicit back-propagation mode.
     */
    public FeatureExtractor(int inputDim, boolean useCurve, int embeddingDim, DataType dataType, long seed,
                            BackpropMode backpropMode) {
        this.backpropMode = java.util.Objects.requireNonNull(backpropMode, "backpropMode");
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim must be >= 1, got " + inputDim);
        }
        if (embeddingDim < 0) {
            throw new IllegalArgumentException("embeddingDim must be >= 0, got " + embeddingDim);
        }
        this.inputDim = inputDim;
        this.useCurve = useCurve;
        this.embeddingDim = embeddingDim;
        this.dataType = dataType;
        this.sd = SameDiff.create();
        build();
        reset(seed);
    }

    private SDVariable param(String name, long... shape) {
        parameterNames.add(name);
        return sd.var(name, Nd4j.zeros(dataType, shape));
    }

    private void build() {
        SDVariable x = sd.placeHolder(X, dataType, -1, inputDim + 1);
        SDVariable w1 = param("w1", inputDim + 1, HIDDEN_CONFIG);
        SDVariable b1 = param("b1", 1, HIDDEN_CONFIG);
        SDVariable gamma = param("bnGamma", 1, HIDDEN_CONFIG);
        SDVariable beta = param("bnBeta", 1, HIDDEN_CONFIG);
        SDVariable h = x.mmul(w1).add(b1);
        SDVariable mean = h.mean(true, 0);
        SDVariable centred = h.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 0);
        sd.identity(TRAIN_BN_MEAN, mean);
        sd.identity(TRAIN_BN_VAR, var);
        SDVariable trainHidden = centred.div(sd.math().sqrt(var.add(BN_EPS))).mul(gamma).add(beta);
        SDVariable meanIn = sd.placeHolder(BN_MEAN_IN, dataType, 1, HIDDEN_CONFIG);
        SDVariable varIn = sd.placeHolder(BN_VAR_IN, dataType, 1, HIDDEN_CONFIG);
        SDVariable inferHidden = h.sub(meanIn).div(sd.math().sqrt(varIn.add(BN_EPS))).mul(gamma).add(beta);

        List<SDVariable> shared = new ArrayList<>();
        long mergedDim = HIDDEN_CONFIG;
        if (useCurve) {
            SDVariable curve = sd.placeHolder(CURVE, dataType, -1, 1, -1);
            SDVariable wc = param("convW", CURVE_KERNEL, 1, CURVE_CHANNELS);
            SDVariable bc = param("convB", CURVE_CHANNELS);
            Conv1DConfig cfg = Conv1DConfig.builder().k(CURVE_KERNEL).s(1).p(0).d(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NCW").build();
            SDVariable conv = sd.cnn().conv1d(curve, wc, bc, cfg); // [n, 4, P-2]
            shared.add(conv.max(2));
            mergedDim += CURVE_CHANNELS;
        }
        if (embeddingDim > 0) {
            shared.add(sd.placeHolder(EMBEDDING, dataType, -1, embeddingDim));
            mergedDim += embeddingDim;
        }
        SDVariable w2 = param("w2", mergedDim, OUTPUT_DIM);
        SDVariable b2 = param("b2", 1, OUTPUT_DIM);
        SDVariable zTrain = head(sd.nn().leakyRelu(trainHidden, LEAKY_SLOPE), shared, w2, b2, Z_TRAIN);
        head(sd.nn().leakyRelu(inferHidden, LEAKY_SLOPE), shared, w2, b2, Z_INFER);

        if (backpropMode == BackpropMode.Z_GRADIENT) {
            // Linear surrogate sum(dNLL/dz ∘ z): same parameter gradients, far fewer graph ops than the kernel.
            SDVariable dz = sd.placeHolder(DZ, dataType, -1, OUTPUT_DIM);
            sd.sum(LOSS, dz.mul(zTrain));
            sd.setLossVariables(LOSS);
            return;
        }
        // Surrogate loss sum(G ∘ K(z)) with K = s² exp(-‖z_i - z_j‖² / (2ℓ²)).
        SDVariable g = sd.placeHolder(G, dataType, -1, -1);
        SDVariable s2 = sd.placeHolder(SIGNAL_VAR, dataType, 1, 1);
        SDVariable invTwoEll2 = sd.placeHolder(INV_TWO_ELL2, dataType, 1, 1);
        SDVariable sq = zTrain.mul(zTrain).sum(true, 1);
        SDVariable dist = sq.add(sd.transpose(sq)).sub(sd.mmul(zTrain, zTrain, false, true, false).mul(2.0));
        SDVariable k = sd.math().exp(dist.mul(invTwoEll2).neg()).mul(s2);
        sd.sum(LOSS, g.mul(k));
        sd.setLossVariables(LOSS);
    }

    private SDVariable head(SDVariable configHidden, List<SDVariable> shared, SDVariable w2, SDVariable b2,
                            String name) {
        SDVariable merged = configHidden;
        if (!shared.isEmpty()) {
            SDVariable[] parts = new SDVariable[shared.size() + 1];
            parts[0] = configHidden;
            for (int i = 0; i < shared.size(); i++) {
                parts[i + 1] = shared.get(i);
            }
            merged = sd.concat(1, parts);
        }
        return sd.nn().leakyRelu(name, merged.mmul(w2).add(b2), LEAKY_SLOPE);
    }

    /** Re-initialises all weights: PyTorch-style U(±1/sqrt(fan_in)) for linear/conv, γ = 1, β = 0. */
    public void reset(long seed) {
        Random rnd = new Random(seed);
        for (String name : parameterNames) {
            INDArray arr = sd.getVariable(name).getArr();
            long fanIn = switch (name) {
                case "w1", "b1" -> inputDim + 1;
                case "convW", "convB" -> CURVE_KERNEL;
                case "w2", "b2" -> sd.getVariable("w2").getArr().size(0);
                default -> 0;
            };
            if (fanIn == 0) {
                arr.assign(name.equals("bnGamma") ? 1.0 : 0.0);
                continue;
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            double[] values = new double[(int) arr.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (rnd.nextDouble() * 2 - 1) * bound;
            }
            arr.assign(Nd4j.createFromArray(values).castTo(dataType).reshape(arr.shape()));
        }
    }

    /** Names of the trainable parameters, in a fixed order. */
    public List<String> parameterNames() {
        return List.copyOf(parameterNames);
    }

    /** The live parameter arrays (modify in place to update), keyed by name, in {@link #parameterNames()} order. */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : parameterNames) {
            out.put(name, sd.getVariable(name).getArr());
        }
        return out;
    }

    public int inputDim() {
        return inputDim;
    }

    public boolean usesCurve() {
        return useCurve;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public DataType dataType() {
        return dataType;
    }

    private Map<String, INDArray> placeholders(Inputs in) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(X, in.xBudget());
        if (useCurve) {
            ph.put(CURVE, in.curve());
        }
        if (embeddingDim > 0) {
            ph.put(EMBEDDING, in.embedding());
        }
        return ph;
    }

    /** Training-mode forward pass: z with batch statistics, and those statistics. */
    public TrainForward forwardTrain(Inputs in) {
        Map<String, INDArray> out = sd.output(placeholders(in), Z_TRAIN, TRAIN_BN_MEAN, TRAIN_BN_VAR);
        // dup: the forecaster keeps these beyond the next graph execution
        return new TrainForward(out.get(Z_TRAIN).dup(), out.get(TRAIN_BN_MEAN).dup(), out.get(TRAIN_BN_VAR).dup());
    }

    /** Inference-mode forward pass with stored BatchNorm statistics (see class comment). */
    public INDArray forwardInfer(Inputs in, INDArray bnMean, INDArray bnVar) {
        Map<String, INDArray> ph = placeholders(in);
        ph.put(BN_MEAN_IN, bnMean);
        ph.put(BN_VAR_IN, bnVar);
        return sd.output(ph, Z_INFER).get(Z_INFER).dup();
    }

    /**
     * Gradients of the NLL (through the surrogate loss of {@link BackpropMode}, z in training mode) with respect to
     * every parameter and, when the weight branch exists, the embedding input (key {@link #EMBEDDING}).
     *
     * @param gpEvaluation the GP evaluation at the current z (supplies G and ∂NLL/∂z)
     */
    public Map<String, INDArray> backward(Inputs in, ExactGp.Evaluation gpEvaluation, double signalVariance,
                                          double lengthscale) {
        Map<String, INDArray> ph = placeholders(in);
        if (backpropMode == BackpropMode.Z_GRADIENT) {
            ph.put(DZ, gpEvaluation.dZ());
        } else {
            ph.put(G, gpEvaluation.dKy());
            ph.put(SIGNAL_VAR, Nd4j.valueArrayOf(new long[] {1, 1}, signalVariance, dataType));
            ph.put(INV_TWO_ELL2, Nd4j.valueArrayOf(new long[] {1, 1}, 1.0 / (2 * lengthscale * lengthscale),
                    dataType));
        }
        List<String> wanted = new ArrayList<>(parameterNames);
        if (embeddingDim > 0) {
            wanted.add(EMBEDDING);
        }
        return sd.calculateGradients(ph, wanted);
    }

    /**
     * One batch of inputs.
     *
     * @param xBudget   [n, d+1]: configuration vector and budget
     * @param curve     [n, 1, P] zero-padded curve prefixes, or null without the curve branch
     * @param embedding [n, e] weight embeddings, or null without the weight branch
     */
    public record Inputs(INDArray xBudget, INDArray curve, INDArray embedding) {
    }

    /**
     * How the GP's gradient enters the graph. Both give exactly the NLL's gradient w.r.t. every network weight and
     * the embedding input (tested against each other and against finite differences).
     */
    public enum BackpropMode {
        /** Loss {@code Σ_ij G_ij K_ij(z)} with G = ∂NLL/∂K_y, s², ℓ as constants (the verified trick). */
        KERNEL_SURROGATE,
        /** Loss {@code Σ_ik (∂NLL/∂z)_ik z_ik} with the analytic ∂NLL/∂z as constant: no n×n work in the graph. */
        Z_GRADIENT
    }

    /** Result of a training-mode forward pass. */
    public record TrainForward(INDArray z, INDArray bnMean, INDArray bnVar) {
    }
}
