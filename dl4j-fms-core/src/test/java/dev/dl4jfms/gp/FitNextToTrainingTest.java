package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.CurveObservation;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Regression test for the way a study runs: the surrogate fits on the optimizer's thread while Arbiter tasks train
 * DL4J networks on others (the SameDiff feature extractor of earlier versions failed there), and two forecasters
 * (two studies) fit at the same time on different threads. The forecasts must equal those of the same fits run
 * alone: nothing is shared between threads (caches, workspaces) that could change a number.
 */
class FitNextToTrainingTest {

    private static List<CurveObservation> rows(long seed) {
        Random rnd = new Random(seed);
        List<CurveObservation> out = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            double[] x = {rnd.nextDouble(), rnd.nextDouble()};
            double[] curve = new double[6];
            for (int t = 1; t <= 6; t++) {
                curve[t - 1] = (0.5 + 0.4 * x[0]) * (1 - Math.exp(-(0.1 + 0.5 * x[1]) * t))
                        + 0.01 * rnd.nextGaussian();
                out.add(new CurveObservation(x, t, 10, Arrays.copyOf(curve, t - 1), null, curve[t - 1]));
            }
        }
        return out;
    }

    /** Cold fit, two warm fits with row subsets, forecasts at B_max for the first configurations. */
    private static List<Forecast> fitAndPredict(long seed) {
        List<CurveObservation> rows = rows(seed);
        DeepKernelForecaster f = DeepKernelForecaster.builder().inputDimension(2).seed(seed).learningRate(1e-2)
                .schedule(1, 30, 10).warmSubsetSize(40).build();
        f.fit(rows);
        f.fit(rows);
        f.fit(rows);
        return f.predict(rows.stream().limit(8)
                .map(o -> new ForecastQuery(o.config(), 10, 10, o.curvePrefix(), null)).toList());
    }

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void forecastsAreUnchangedWhileNetworksTrainAndAnotherForecasterFits() throws Exception {
        List<Forecast> aloneA = fitAndPredict(11);
        List<Forecast> aloneB = fitAndPredict(12);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger trainingIterations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> trainers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                trainers.add(pool.submit(() -> {
                    MultiLayerNetwork net = network();
                    DataSet data = new DataSet(Nd4j.rand(64, 20), Nd4j.eye(4).repeat(0, 16));
                    while (!stop.get()) {
                        net.fit(data);
                        trainingIterations.incrementAndGet();
                    }
                    return null;
                }));
            }
            Future<List<Forecast>> a = pool.submit(() -> fitAndPredict(11));
            Future<List<Forecast>> b = pool.submit(() -> fitAndPredict(12));
            List<Forecast> concurrentA = a.get(120, TimeUnit.SECONDS);
            List<Forecast> concurrentB = b.get(120, TimeUnit.SECONDS);
            stop.set(true);
            for (Future<?> trainer : trainers) {
                trainer.get(60, TimeUnit.SECONDS); // rethrows a training failure
            }
            assertTrue(trainingIterations.get() > 0, "networks trained while the forecasters fitted");
            assertEquals(aloneA, concurrentA);
            assertEquals(aloneB, concurrentB);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
