package dev.dl4jfms.gp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The deep-kernel feature extractor ψ of spec section 4, with its forward and backward passes written out in ND4J
 * array operations:
 * <pre>
 *   [x, budget] → Linear(d+1 → 64) → BatchNorm → LeakyReLU(0.01)              (always)
 *   curve [n, 1, P] → Conv1d(1 → 4, kernel 3, no padding) → global max pool    (optional)
 *   weight embedding [n, e]                                                   (optional, e from the embedder)
 *   concat → Linear(→ 128) → LeakyReLU(0.01) = z
 * </pre>
 * The GP is evaluated outside ({@link ExactGp}), which returns {@code ∂NLL/∂z}; that is the gradient of the spec's
 * surrogate loss {@code Σ_ij G_ij K_ij(z)} with {@code G = ∂NLL/∂K_y} (K_y = K + σ²I, and σ² does not depend on the
 * network). {@link #backward} back-propagates it to every weight and to the embedding input.
 *
 * <p><b>Why not SameDiff.</b> The first version was a SameDiff graph. Each graph execution cost 20–55 ms of CPU
 * whatever the batch size (session and shape bookkeeping), which made the network, not the GP, the floor of a
 * refit step; and a SameDiff fit failed with a NullPointerException inside its op executor while another thread
 * trained a DL4J network. These ~40 plain array ops cost about a millisecond, are safe to run next to training
 * threads, and still run on the GPU under the {@code cuda} profile. The tests check them against finite differences
 * and against an independent SameDiff autodiff graph.
 *
 * <p><b>BatchNorm mode.</b> Fitting is full batch, so training-mode batch statistics are the statistics of the whole
 * training set (or warm subset). After a fit the forecaster stores them ({@link TrainForward#bnMean()},
 * {@link TrainForward#bnVar()}) and predicts with {@link #forwardInfer}, which normalises with those stored
 * statistics. Hence a training row gets exactly the same z at prediction time as in the GP fit, and a query's z does
 * not depend on the other queries. There are no running averages (they would lag behind the current weights).
 *
 * <p>Not thread-safe: one forecaster, one thread at a time (the policy fits and predicts under its own lock).
 */
public final class FeatureExtractor {

    public static final int HIDDEN_CONFIG = 64;
    public static final int CURVE_CHANNELS = 4;
    public static final int CURVE_KERNEL = 3;
    public static final int OUTPUT_DIM = 128;
    static final double LEAKY_SLOPE = 0.01;
    static final double BN_EPS = 1e-5;

    /** Key of the embedding-input gradient in the map returned by {@link #backward}. */
    static final String EMBEDDING = "embedding";

    private final int inputDim;
    private final boolean useCurve;
    private final int embeddingDim;
    private final DataType dataType;
    private final Map<String, INDArray> params = new LinkedHashMap<>();
    private final INDArray flatParams;
    /** The last training-mode pass, reused by {@link #backward} when it is called with the same inputs. */
    private Inputs lastTrainInputs;
    private Activations lastTrain;

    /**
     * @param inputDim     d, length of the configuration vector
     * @param useCurve     whether the learning-curve branch exists
     * @param embeddingDim size of the weight embedding, 0 for no weight branch (DyHPO)
     * @param dataType     FLOAT or DOUBLE for every array
     * @param seed         initialisation seed
     */
    public FeatureExtractor(int inputDim, boolean useCurve, int embeddingDim, DataType dataType, long seed) {
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim must be >= 1, got " + inputDim);
        }
        if (embeddingDim < 0) {
            throw new IllegalArgumentException("embeddingDim must be >= 0, got " + embeddingDim);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        this.inputDim = inputDim;
        this.useCurve = useCurve;
        this.embeddingDim = embeddingDim;
        this.dataType = dataType;
        long mergedDim = HIDDEN_CONFIG + (useCurve ? CURVE_CHANNELS : 0) + embeddingDim;
        // Shapes (and names) as in the earlier SameDiff graph, so saved forecaster states stay loadable.
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("w1", new long[] {inputDim + 1, HIDDEN_CONFIG});
        shapes.put("b1", new long[] {1, HIDDEN_CONFIG});
        shapes.put("bnGamma", new long[] {1, HIDDEN_CONFIG});
        shapes.put("bnBeta", new long[] {1, HIDDEN_CONFIG});
        if (useCurve) {
            shapes.put("convW", new long[] {CURVE_KERNEL, 1, CURVE_CHANNELS});
            shapes.put("convB", new long[] {CURVE_CHANNELS});
        }
        shapes.put("w2", new long[] {mergedDim, OUTPUT_DIM});
        shapes.put("b2", new long[] {1, OUTPUT_DIM});
        long total = 0;
        for (long[] shape : shapes.values()) {
            total += ArrayUtil.prodLong(shape);
        }
        // One contiguous vector, each parameter a view of it: the optimiser updates all of them in a few ops.
        flatParams = Nd4j.zeros(dataType, total);
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long length = ArrayUtil.prodLong(e.getValue());
            params.put(e.getKey(), flatParams.get(NDArrayIndex.interval(offset, offset + length))
                    .reshape('c', e.getValue()));
            offset += length;
        }
        reset(seed);
    }

    /** Re-initialises all weights: PyTorch-style U(±1/sqrt(fan_in)) for linear/conv, γ = 1, β = 0. */
    public void reset(long seed) {
        lastTrain = null;
        lastTrainInputs = null;
        Random rnd = new Random(seed);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray arr = e.getValue();
            long fanIn = switch (e.getKey()) {
                case "w1", "b1" -> inputDim + 1;
                case "convW", "convB" -> CURVE_KERNEL;
                case "w2", "b2" -> params.get("w2").size(0);
                default -> 0;
            };
            if (fanIn == 0) {
                arr.assign(e.getKey().equals("bnGamma") ? 1.0 : 0.0);
                continue;
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            double[] values = new double[(int) arr.length()];
            for (int i = 0; i < values.length; i++) { // initialisation only, not a hot path
                values[i] = (rnd.nextDouble() * 2 - 1) * bound;
            }
            arr.assign(Nd4j.createFromArray(values).castTo(dataType).reshape(arr.shape()));
        }
    }

    /** Names of the trainable parameters, in a fixed order. */
    public List<String> parameterNames() {
        return List.copyOf(params.keySet());
    }

    /** The live parameter arrays (modify in place to update), keyed by name, in {@link #parameterNames()} order. */
    public Map<String, INDArray> parameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /**
     * All parameters as one live vector (the arrays of {@link #parameters()} are views of it, in
     * {@link #parameterNames()} order), so an optimiser can update them with a handful of array ops.
     */
    public INDArray flatParameters() {
        return flatParams;
    }

    /** The gradients of {@link #backward} in the layout of {@link #flatParameters()} (one concatenation). */
    public INDArray flattenGradients(Map<String, INDArray> gradients) {
        List<INDArray> ordered = new ArrayList<>(params.size());
        for (String name : params.keySet()) {
            ordered.add(Objects.requireNonNull(gradients.get(name), () -> "no gradient for " + name));
        }
        return Nd4j.toFlattened('c', ordered).reshape(flatParams.shape());
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

    /** Training-mode forward pass: z with batch statistics, and those statistics. */
    public TrainForward forwardTrain(Inputs in) {
        Activations a = forward(in, null, null);
        lastTrainInputs = in;
        lastTrain = a;
        return new TrainForward(a.z, a.bnMean, a.bnVar);
    }

    /** Inference-mode forward pass with stored BatchNorm statistics (see class comment). */
    public INDArray forwardInfer(Inputs in, INDArray bnMean, INDArray bnVar) {
        Objects.requireNonNull(bnMean, "bnMean");
        Objects.requireNonNull(bnVar, "bnVar");
        return forward(in, bnMean, bnVar).z;
    }

    /**
     * Gradients of the NLL with respect to every parameter (z in training mode) and, when the weight branch exists,
     * the embedding input (key {@code "embedding"}).
     *
     * The forward pass of the preceding {@link #forwardTrain} call is reused when it saw the same {@code in} and
     * the parameters have not changed since (the usual forward → GP → backward step); otherwise it is recomputed.
     *
     * @param gpEvaluation the GP evaluation at the current z; supplies {@code ∂NLL/∂z}
     */
    public Map<String, INDArray> backward(Inputs in, ExactGp.Evaluation gpEvaluation) {
        INDArray dz = Objects.requireNonNull(gpEvaluation.dZ(), "the GP evaluation carries no dNLL/dz");
        Activations a = in == lastTrainInputs && lastTrain != null ? lastTrain : forward(in, null, null);
        lastTrainInputs = null; // parameters change after a backward pass: never reuse twice
        lastTrain = null;
        long n = a.z.rows();
        if (dz.rows() != n || dz.columns() != OUTPUT_DIM) {
            throw new IllegalArgumentException("dNLL/dz has shape " + java.util.Arrays.toString(dz.shape())
                    + ", expected [" + n + ", " + OUTPUT_DIM + "]");
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();

        // head: z = leaky(merged·w2 + b2)
        INDArray dPre = dz.castTo(dataType).mul(leakyDerivative(a.headPre));
        grads.put("w2", a.merged.transpose().mmul(dPre));
        grads.put("b2", dPre.sum(true, 0));
        INDArray dMerged = dPre.mmul(params.get("w2").transpose());

        // configuration branch: leaky(BN(x·w1 + b1)), batch statistics
        INDArray dAct = dMerged.get(NDArrayIndex.all(), NDArrayIndex.interval(0, HIDDEN_CONFIG));
        INDArray dBn = dAct.mul(leakyDerivative(a.bnOut));
        grads.put("bnGamma", dBn.mul(a.normalised).sum(true, 0));
        grads.put("bnBeta", dBn.sum(true, 0));
        INDArray dNorm = dBn.mulRowVector(params.get("bnGamma"));
        // dh = (n·dNorm − Σdnorm − x̂·Σ(dNorm∘x̂)) / (n·std)
        INDArray dh = dNorm.mul(n)
                .subiRowVector(dNorm.sum(true, 0))
                .subi(a.normalised.mulRowVector(dNorm.mul(a.normalised).sum(true, 0)))
                .diviRowVector(a.bnStd.mul(n));
        grads.put("w1", a.x.transpose().mmul(dh));
        grads.put("b1", dh.sum(true, 0));

        long col = HIDDEN_CONFIG;
        if (useCurve) {
            INDArray dPool = dMerged.get(NDArrayIndex.all(), NDArrayIndex.interval(col, col + CURVE_CHANNELS));
            // The max pool passes the gradient to one position per (row, channel): the first maximum.
            long positions = a.conv.size(1);
            INDArray mask = poolMask(a);
            Nd4j.getExecutioner().exec(new BroadcastMulOp(mask, dPool.dup(), mask, 0, 2));
            INDArray dConv = mask.reshape(n * positions, CURVE_CHANNELS);
            grads.put("convW", a.windows.transpose().mmul(dConv).reshape(CURVE_KERNEL, 1, CURVE_CHANNELS));
            grads.put("convB", dConv.sum(0));
            col += CURVE_CHANNELS;
        }
        if (embeddingDim > 0) {
            grads.put(EMBEDDING, dMerged.get(NDArrayIndex.all(), NDArrayIndex.interval(col, col + embeddingDim))
                    .dup());
        }
        return grads;
    }

    /** Forward pass; training mode (batch statistics) when {@code bnMean} is null. */
    private Activations forward(Inputs in, INDArray bnMean, INDArray bnVar) {
        INDArray x = in.xBudget();
        if (x.rank() != 2 || x.columns() != inputDim + 1) {
            throw new IllegalArgumentException("xBudget must be [n, " + (inputDim + 1) + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        Activations a = new Activations();
        long n = x.rows();
        a.x = x.castTo(dataType);
        INDArray h = a.x.mmul(params.get("w1")).addiRowVector(params.get("b1"));
        if (bnMean == null) {
            a.bnMean = h.mean(true, 0);
            INDArray centred = h.subRowVector(a.bnMean);
            a.bnVar = centred.mul(centred).mean(true, 0);
        } else {
            a.bnMean = bnMean;
            a.bnVar = bnVar;
        }
        a.bnStd = Transforms.sqrt(a.bnVar.add(BN_EPS), false);
        a.normalised = h.subRowVector(a.bnMean).diviRowVector(a.bnStd);
        a.bnOut = a.normalised.mulRowVector(params.get("bnGamma")).addiRowVector(params.get("bnBeta"));
        List<INDArray> parts = new ArrayList<>();
        parts.add(Transforms.leakyRelu(a.bnOut, LEAKY_SLOPE, true));
        if (useCurve) {
            parts.add(curveBranch(in.curve(), n, a));
        }
        if (embeddingDim > 0) {
            INDArray emb = Objects.requireNonNull(in.embedding(), "the weight branch needs embeddings");
            if (emb.rows() != n || emb.columns() != embeddingDim) {
                throw new IllegalArgumentException("embedding must be [" + n + ", " + embeddingDim + "], got "
                        + java.util.Arrays.toString(emb.shape()));
            }
            parts.add(emb.castTo(dataType));
        }
        a.merged = parts.size() == 1 ? parts.get(0) : Nd4j.hstack(parts.toArray(new INDArray[0]));
        a.headPre = a.merged.mmul(params.get("w2")).addiRowVector(params.get("b2"));
        a.z = Transforms.leakyRelu(a.headPre, LEAKY_SLOPE, true);
        return a;
    }

    /** Conv1d(1 → 4, kernel 3, valid) as one GEMM over the sliding windows, then a max over positions. */
    private INDArray curveBranch(INDArray curve, long n, Activations a) {
        Objects.requireNonNull(curve, "the curve branch needs curves");
        if (curve.rank() != 3 || curve.size(0) != n || curve.size(1) != 1 || curve.size(2) < CURVE_KERNEL) {
            throw new IllegalArgumentException("curve must be [" + n + ", 1, P >= " + CURVE_KERNEL + "], got "
                    + java.util.Arrays.toString(curve.shape()));
        }
        long p = curve.size(2);
        long positions = p - CURVE_KERNEL + 1;
        INDArray flat = curve.castTo(dataType).reshape(n, p);
        INDArray[] taps = new INDArray[CURVE_KERNEL];
        for (int k = 0; k < CURVE_KERNEL; k++) { // 3 column blocks, not a loop over elements
            taps[k] = flat.get(NDArrayIndex.all(), NDArrayIndex.interval(k, k + positions)).dup('c')
                    .reshape(n * positions, 1);
        }
        a.windows = Nd4j.hstack(taps); // [n·positions, 3]
        INDArray conv = a.windows.mmul(params.get("convW").reshape(CURVE_KERNEL, CURVE_CHANNELS))
                .addiRowVector(params.get("convB").reshape(1, CURVE_CHANNELS));
        a.conv = conv.reshape(n, positions, CURVE_CHANNELS);
        a.pooled = a.conv.max(1); // [n, 4]
        return a.pooled;
    }

    /**
     * 1 at the first position attaining each (row, channel) maximum, else 0 (zero-padded tails produce ties): a
     * one-hot of the arg-max over positions. (A cumulative sum over the position axis gave the same mask but cost a
     * quarter of a warm refit: ND4J runs it per tensor along the dimension.)
     */
    private INDArray poolMask(Activations a) {
        INDArray first = Nd4j.argMax(a.conv, 1); // [n, 4] indices; ND4J's CPU index-max keeps the first maximum
        INDArray mask = Nd4j.createUninitialized(dataType, a.conv.shape());
        Nd4j.getExecutioner().exec(new OneHot(first, mask, (int) a.conv.size(1), 1, 1.0, 0.0));
        return mask;
    }

    private INDArray leakyDerivative(INDArray preActivation) {
        return preActivation.gt(0.0).castTo(dataType).muli(1.0 - LEAKY_SLOPE).addi(LEAKY_SLOPE);
    }

    /** Intermediate values of one forward pass that the backward pass reuses. */
    private static final class Activations {
        INDArray x;
        INDArray bnMean;
        INDArray bnVar;
        INDArray bnStd;
        INDArray normalised;
        INDArray bnOut;
        INDArray windows;
        INDArray conv;
        INDArray pooled;
        INDArray merged;
        INDArray headPre;
        INDArray z;
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

    /** Result of a training-mode forward pass. */
    public record TrainForward(INDArray z, INDArray bnMean, INDArray bnVar) {
    }
}
