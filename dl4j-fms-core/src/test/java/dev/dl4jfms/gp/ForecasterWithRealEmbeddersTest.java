package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.embed.GraphMetanetworkEmbedder;
import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.embed.WeightEmbedder;
import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.graph.NetworkWeightsFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The forecaster with the real embedders of the {@code embed} package on real DL4J networks: the chain rule
 * from the GP's NLL into the graph metanetwork's parameters against finite differences, and end-to-end fits.
 */
class ForecasterWithRealEmbeddersTest {

    static NetworkWeights mlp(long seed, DataType dt) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).dataType(dt)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return NetworkWeightsFactory.fromMultiLayerNetwork(net);
    }

    /** Rows of 6 configurations x 3 epochs; checkpoint key "c{i}-{t-1}" = weights before epoch t. */
    static List<CurveObservation> rows(Map<String, NetworkWeights> store, DataType dt) {
        List<CurveObservation> out = new ArrayList<>();
        Random rnd = new Random(3);
        for (int i = 0; i < 6; i++) {
            double[] x = {rnd.nextDouble(), rnd.nextDouble()};
            double[] curve = new double[3];
            for (int t = 1; t <= 3; t++) {
                curve[t - 1] = (0.5 + 0.4 * x[0]) * (1 - Math.exp(-(0.2 + x[1]) * t));
                String key = "c" + i + "-" + (t - 1);
                store.put(key, mlp(100L * i + t, dt));
                out.add(new CurveObservation(x, t, 10, java.util.Arrays.copyOf(curve, t - 1), key, curve[t - 1]));
            }
        }
        return out;
    }

    /**
     * d(NLL/n)/d(GMN parameter) through GP → feature extractor → embedding input → GMN, against central
     * differences in double (step 1e-6, tolerance 1e-6 absolute + 1e-4 relative), on 12 random parameters.
     */
    @Test
    void chainRuleIntoGraphMetanetworkMatchesFiniteDifferences() {
        Map<String, NetworkWeights> store = new HashMap<>();
        List<CurveObservation> obs = rows(store, DataType.DOUBLE);
        GraphMetanetworkEmbedder gmn = GraphMetanetworkEmbedder.builder().hidden(8).blocks(2).outputs(4)
                .dataType(DataType.DOUBLE).seed(2).build();
        EmbeddingTable table = new EmbeddingTable(gmn, store::get, DataType.DOUBLE);
        FeatureExtractor fe = new FeatureExtractor(2, true, gmn.dimension(), DataType.DOUBLE, 4);
        ExactGp gp = new ExactGp(DataType.DOUBLE);
        List<String> keys = new ArrayList<>();
        List<dev.dl4jfms.forecast.ForecastQuery> queries = new ArrayList<>();
        double[] y = new double[obs.size()];
        for (int i = 0; i < y.length; i++) {
            keys.add(obs.get(i).weightsKey());
            queries.add(obs.get(i).query());
            y[i] = (obs.get(i).value() - 0.4) * 5;
        }
        INDArray xb = InputEncoder.configAndBudget(queries, 2, DataType.DOUBLE);
        INDArray curve = InputEncoder.curves(queries, 0.4, 0.2, DataType.DOUBLE);
        INDArray targets = Nd4j.createFromArray(y).reshape(y.length, 1);
        java.util.function.DoubleSupplier nll = () -> gp.nllAndGradients(
                fe.forwardTrain(new FeatureExtractor.Inputs(xb, curve, table.rows(keys))).z(), targets).nll();

        FeatureExtractor.Inputs in = new FeatureExtractor.Inputs(xb, curve, table.rows(keys));
        ExactGp.Evaluation ev = gp.nllAndGradients(fe.forwardTrain(in).z(), targets);
        INDArray dEmb = fe.backward(in, ev).get(FeatureExtractor.EMBEDDING);
        INDArray analytic = table.parameterGradient(keys, dEmb);
        assertEquals(gmn.numParameters(), analytic.length());

        INDArray theta = gmn.parameters();
        Random rnd = new Random(9);
        double h = 1e-6;
        int nonZero = 0;
        for (int t = 0; t < 12; t++) {
            int idx = rnd.nextInt((int) theta.length());
            double orig = theta.getDouble(idx);
            theta.putScalar(idx, orig + h);
            gmn.setParameters(theta.dup());
            table.invalidate();
            double up = nll.getAsDouble();
            theta.putScalar(idx, orig - h);
            gmn.setParameters(theta.dup());
            table.invalidate();
            double down = nll.getAsDouble();
            theta.putScalar(idx, orig);
            gmn.setParameters(theta.dup());
            table.invalidate();
            double fd = (up - down) / (2 * h);
            assertEquals(fd, analytic.getDouble(idx), 1e-6 + 1e-4 * Math.abs(fd), "GMN parameter " + idx);
            if (Math.abs(fd) > 1e-8) {
                nonZero++;
            }
        }
        assertTrue(nonZero >= 3, "the check must not pass on all-zero gradients");
    }

    @Test
    void forecasterTrainsWithGraphMetanetworkAndRunsWithStatisticsEmbedder() {
        Map<String, NetworkWeights> store = new HashMap<>();
        List<CurveObservation> obs = rows(store, DataType.FLOAT);
        GraphMetanetworkEmbedder gmn = GraphMetanetworkEmbedder.builder().seed(1).build(); // reference sizes
        List<WeightEmbedder> embedders = List.of(gmn, new LayerStatisticsEmbedder());
        for (WeightEmbedder embedder : embedders) {
            INDArray before = gmn.parameters();
            DeepKernelForecaster f = DeepKernelForecaster.builder().inputDimension(2).seed(1).learningRate(1e-2)
                    .schedule(1, 4, 2).embedder(embedder).weightsLoader(store::get).build();
            f.fit(obs);
            f.fit(obs);
            for (Forecast fc : f.predict(List.of(obs.get(2).query(), obs.get(7).query()))) {
                assertTrue(Double.isFinite(fc.mean()) && fc.std() > 0, fc.toString());
            }
            if (embedder == gmn) {
                assertTrue(gmn.parameters().sub(before).amaxNumber().doubleValue() > 0, "GMN trained end to end");
            }
        }
    }
}
