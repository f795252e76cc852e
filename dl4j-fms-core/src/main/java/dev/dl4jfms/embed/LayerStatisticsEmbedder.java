package dev.dl4jfms.embed;

import dev.dl4jfms.graph.LayerKind;
import dev.dl4jfms.graph.LayerWeights;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.WeightStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-layer weight statistics (Unterthiner et al. 2020, "Predicting Neural Network Accuracy from Weights"): for
 * every parametrised layer the {@link WeightStatistics} (mean, std, 0/25/50/75/100% quantiles, L1 and L2 norm) of
 * its weights and of its biases. Invariant to permutations of hidden units by construction, cheap (one pass and
 * one sort per layer), and defined for every layer kind, including {@link LayerKind#UNKNOWN}.
 *
 * <p>Layout (fixed dimension {@code 20 · maxLayers + 1}): {@code maxLayers} slots of 20 values — 9 weight
 * statistics, 9 bias statistics, log(1 + parameter count), and 1 (slot used) — zero-padded when the network has
 * fewer parametrised layers, followed by the number of parametrised layers. The L1 and L2 norms enter as
 * log(1 + norm) because they grow with layer width. A network with more than {@code maxLayers} parametrised
 * layers keeps its first {@code maxLayers − 1} layers and its last layer (the output layer, which matters most);
 * the dropped middle layers are logged once.
 *
 * <p>"Weights" are {@code W} of dense/convolution layers and γ of batch normalisation; "biases" are {@code b} and β.
 * For unknown layers, parameters named {@code b} or ending in {@code b}/{@code bias} are biases, the rest weights.
 * Running mean/variance of batch normalisation are state, not weights, and are ignored.
 */
public final class LayerStatisticsEmbedder implements WeightEmbedder {

    /** Values per layer slot. */
    public static final int PER_LAYER = 2 * WeightStatistics.COUNT + 2;

    private static final Logger LOG = LoggerFactory.getLogger(LayerStatisticsEmbedder.class);

    private final int maxLayers;
    private final DataType dataType;
    private volatile boolean warnedTruncation;

    /** Eight layer slots, FLOAT output. */
    public LayerStatisticsEmbedder() {
        this(8, DataType.FLOAT);
    }

    /**
     * @param maxLayers number of layer slots (≥ 2)
     * @param dataType  floating-point type of the returned embeddings
     */
    public LayerStatisticsEmbedder(int maxLayers, DataType dataType) {
        if (maxLayers < 2) {
            throw new IllegalArgumentException("maxLayers must be >= 2, got " + maxLayers);
        }
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("dataType must be a floating-point type, got " + dataType);
        }
        this.maxLayers = maxLayers;
        this.dataType = dataType;
    }

    public int maxLayers() {
        return maxLayers;
    }

    @Override
    public int dimension() {
        return PER_LAYER * maxLayers + 1;
    }

    @Override
    public INDArray embed(List<NetworkWeights> networks) {
        double[][] rows = new double[networks.size()][];
        for (int i = 0; i < networks.size(); i++) {
            rows[i] = embedOne(networks.get(i));
        }
        if (rows.length == 0) {
            return Nd4j.zeros(dataType, 0, dimension());
        }
        return Nd4j.createFromArray(rows).castTo(dataType);
    }

    private double[] embedOne(NetworkWeights network) {
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights layer : network.layers()) {
            if (layer.kind() != LayerKind.PARAMETER_FREE && !layer.params().isEmpty()) {
                layers.add(layer);
            }
        }
        int count = layers.size();
        if (count > maxLayers) {
            if (!warnedTruncation) {
                warnedTruncation = true;
                LOG.warn("Layer statistics: network with {} parametrised layers exceeds {} slots; layers {}..{} "
                        + "are left out (logged once)", count, maxLayers, maxLayers - 1, count - 2);
            }
            List<LayerWeights> kept = new ArrayList<>(layers.subList(0, maxLayers - 1));
            kept.add(layers.get(count - 1));
            layers = kept;
        }
        double[] out = new double[dimension()];
        for (int s = 0; s < layers.size(); s++) {
            LayerWeights layer = layers.get(s);
            List<INDArray> weights = new ArrayList<>();
            List<INDArray> biases = new ArrayList<>();
            split(layer, weights, biases);
            double[] ws = WeightStatistics.of(flatten(weights));
            double[] bs = WeightStatistics.of(flatten(biases));
            int off = s * PER_LAYER;
            copyStats(ws, out, off);
            copyStats(bs, out, off + WeightStatistics.COUNT);
            long n = layer.params().values().stream().mapToLong(INDArray::length).sum();
            out[off + 2 * WeightStatistics.COUNT] = Math.log1p(n);
            out[off + 2 * WeightStatistics.COUNT + 1] = 1.0;
        }
        out[out.length - 1] = count;
        return out;
    }

    private static void copyStats(double[] stats, double[] out, int off) {
        System.arraycopy(stats, 0, out, off, stats.length);
        out[off + 7] = Math.log1p(stats[7]);
        out[off + 8] = Math.log1p(stats[8]);
    }

    private static void split(LayerWeights layer, List<INDArray> weights, List<INDArray> biases) {
        Map<String, INDArray> p = layer.params();
        switch (layer.kind()) {
            case BATCH_NORM -> {
                addIfPresent(weights, p.get("gamma"));
                addIfPresent(biases, p.get("beta"));
            }
            case DENSE, CONV1D, CONV2D -> {
                addIfPresent(weights, p.get("W"));
                addIfPresent(biases, p.get("b"));
            }
            default -> p.keySet().stream().sorted().forEach(k -> {
                String lower = k.toLowerCase(java.util.Locale.ROOT);
                boolean bias = lower.equals("b") || lower.endsWith("b") || lower.endsWith("bias");
                (bias ? biases : weights).add(p.get(k));
            });
        }
    }

    private static void addIfPresent(List<INDArray> list, INDArray a) {
        if (a != null) {
            list.add(a);
        }
    }

    private static INDArray flatten(List<INDArray> arrays) {
        if (arrays.isEmpty()) {
            return null;
        }
        return Nd4j.concat(0, arrays.stream().map(a -> a.reshape(a.length()).castTo(DataType.DOUBLE))
                .toArray(INDArray[]::new));
    }
}
