package dev.dl4jfms.gp;

import dev.dl4jfms.embed.TrainableWeightEmbedder;
import dev.dl4jfms.graph.LayerWeights;
import dev.dl4jfms.graph.NetworkWeights;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test fixture (not a mock): a real, small trainable embedder, {@code e = tanh(f A + c)} with f = [mean, std,
 * mean |w|] of all parameters of a network. Used to test the forecaster's weight branch and the chain rule into
 * embedder parameters before the GMN exists.
 */
final class LinearStatisticsEmbedderFixture implements TrainableWeightEmbedder {
    static final int STATS = 3;
    private final int dimension;
    private INDArray a;
    private INDArray c;

    LinearStatisticsEmbedderFixture(int dimension, long seed) {
        this.dimension = dimension;
        reset(seed);
    }

    static INDArray statistics(List<NetworkWeights> networks) {
        double[][] f = new double[networks.size()][STATS];
        for (int i = 0; i < networks.size(); i++) {
            INDArray all = Nd4j.concat(0, networks.get(i).layers().stream()
                    .flatMap(l -> l.params().values().stream())
                    .map(p -> p.castTo(DataType.DOUBLE).reshape(-1)).toArray(INDArray[]::new));
            f[i][0] = all.meanNumber().doubleValue();
            f[i][1] = all.stdNumber().doubleValue();
            f[i][2] = org.nd4j.linalg.ops.transforms.Transforms.abs(all).meanNumber().doubleValue();
        }
        return Nd4j.createFromArray(f);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public INDArray embed(List<NetworkWeights> networks) {
        return org.nd4j.linalg.ops.transforms.Transforms.tanh(statistics(networks).mmul(a).addiRowVector(c), false);
    }

    @Override
    public INDArray parameters() {
        return Nd4j.concat(1, a.reshape(1, -1), c.reshape(1, -1)).dup();
    }

    @Override
    public void setParameters(INDArray flat) {
        if (flat.length() != numParameters()) {
            throw new IllegalArgumentException("expected " + numParameters() + " parameters, got " + flat.length());
        }
        INDArray v = flat.castTo(DataType.DOUBLE).reshape(1, -1);
        a = v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, STATS * dimension)).dup().reshape(STATS, dimension);
        c = v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(STATS * dimension, numParameters())).dup()
                .reshape(1, dimension);
    }

    @Override
    public long numParameters() {
        return (long) STATS * dimension + dimension;
    }

    @Override
    public INDArray gradient(List<NetworkWeights> networks, INDArray dLossDEmbedding) {
        INDArray f = statistics(networks);
        INDArray e = embed(networks);
        INDArray dPre = dLossDEmbedding.castTo(DataType.DOUBLE).mul(e.mul(e).rsubi(1.0)); // tanh'
        INDArray dA = f.transpose().mmul(dPre);
        INDArray dC = dPre.sum(true, 0);
        return Nd4j.concat(1, dA.reshape(1, -1), dC.reshape(1, -1));
    }

    @Override
    public void reset(long seed) {
        Random rnd = new Random(seed);
        double[] values = new double[(int) numParameters()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rnd.nextGaussian() * 0.5;
        }
        setParameters(Nd4j.createFromArray(values).reshape(1, -1));
    }

    /** A one-layer dense "network" whose weights are drawn around {@code level} (stand-in for a checkpoint). */
    static NetworkWeights syntheticNetwork(double level, long seed) {
        Random rnd = new Random(seed);
        double[] w = new double[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = level + 0.3 * level * rnd.nextGaussian();
        }
        return new NetworkWeights(List.of(new LayerWeights(0, "dense", "DenseLayer", dev.dl4jfms.graph.LayerKind.DENSE,
                java.util.Map.of("W", Nd4j.createFromArray(w).reshape(4, 3), "b", Nd4j.zeros(DataType.DOUBLE, 1, 3)))),
                "dense-4x3");
    }
}
