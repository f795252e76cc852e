package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.graph.NetworkWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * End-to-end gradient of NLL/n (feature extractor → exact GP) w.r.t. every network parameter, the embedding input
 * and the parameters of a trainable embedder, against central finite differences of the whole pipeline in double.
 * Step 1e-6; tolerance 1e-6 absolute + 1e-4 relative (LeakyReLU and max-pool kinks are not crossed at this step
 * size for these random inputs; observed agreement is ~1e-9). Half the curves are short zero-padded prefixes, so
 * the max pool sees exact ties (the NLL is still differentiable there: tied windows are all zero and move together).
 */
class FeatureExtractorGradientTest {
    private static final double H = 1e-6;

    private final Random rnd = new Random(7);
    private final int n = 14;
    private final int d = 3;
    private final LinearStatisticsEmbedderFixture embedder = new LinearStatisticsEmbedderFixture(4, 11);
    private final Map<String, NetworkWeights> networks = new HashMap<>();
    private final EmbeddingTable table;
    private final List<String> keys = new ArrayList<>();
    private FeatureExtractor fe = new FeatureExtractor(d, true, 4, DataType.DOUBLE, 5);
    private final ExactGp gp = new ExactGp(DataType.DOUBLE);
    private final INDArray xBudget;
    private final INDArray curve;
    private final INDArray y;

    FeatureExtractorGradientTest() {
        for (int k = 0; k < 4; k++) {
            networks.put("ckpt" + k, LinearStatisticsEmbedderFixture.syntheticNetwork(0.2 + 0.3 * k, k));
        }
        table = new EmbeddingTable(embedder, networks::get, DataType.DOUBLE);
        for (int i = 0; i < n; i++) {
            keys.add(i % 5 == 4 ? null : "ckpt" + (i % 4));
        }
        xBudget = Nd4j.rand(DataType.DOUBLE, n, d + 1);
        curve = Nd4j.randn(DataType.DOUBLE, n, 1, 6);
        // Short prefixes zero-padded as InputEncoder does: their all-zero windows tie in the max pool, where a
        // gradient that reached every tied position would count the conv bias several times.
        curve.get(NDArrayIndex.interval(0, 7), NDArrayIndex.all(), NDArrayIndex.interval(1, 6)).assign(0.0);
        y = Nd4j.randn(DataType.DOUBLE, n, 1);
        gp.setRawParameters(new double[] {0.1, 0.4, -1.5, 0.05});
    }

    private FeatureExtractor.Inputs inputs() {
        return new FeatureExtractor.Inputs(xBudget, curve, table.rows(keys));
    }

    private double nll(FeatureExtractor.Inputs in) {
        return gp.nllAndGradients(fe.forwardTrain(in).z(), y).nll();
    }

    private static void assertClose(double fd, double analytic, String what) {
        assertEquals(fd, analytic, 1e-6 + 1e-4 * Math.abs(fd), what + ": fd=" + fd + " analytic=" + analytic);
    }

    @Test
    void networkEmbeddingAndEmbedderGradientsMatchFiniteDifferences() {
        FeatureExtractor.Inputs in = inputs();
        ExactGp.Evaluation ev = gp.nllAndGradients(fe.forwardTrain(in).z(), y);
        Map<String, INDArray> grads = fe.backward(in, ev);

        int checked = 0;
        for (Map.Entry<String, INDArray> p : fe.parameters().entrySet()) {
            INDArray flat = p.getValue().reshape(-1);
            INDArray g = grads.get(p.getKey()).reshape(-1);
            assertEquals(flat.length(), g.length(), p.getKey());
            for (int t = 0; t < 4; t++) {
                long idx = rnd.nextInt((int) flat.length());
                double orig = flat.getDouble(idx);
                flat.putScalar(idx, orig + H);
                double up = nll(in);
                flat.putScalar(idx, orig - H);
                double down = nll(in);
                flat.putScalar(idx, orig);
                assertClose((up - down) / (2 * H), g.getDouble(idx), p.getKey() + "[" + idx + "]");
                checked++;
            }
        }
        assertTrue(checked >= 8 * 4, "all parameter tensors visited: " + fe.parameterNames());

        INDArray dEmb = grads.get(FeatureExtractor.EMBEDDING);
        for (int t = 0; t < 6; t++) {
            int i = rnd.nextInt(n);
            int j = rnd.nextInt(4);
            INDArray emb = in.embedding().dup();
            emb.putScalar(i, j, emb.getDouble(i, j) + H);
            double up = nll(new FeatureExtractor.Inputs(xBudget, curve, emb));
            emb.putScalar(i, j, emb.getDouble(i, j) - 2 * H);
            double down = nll(new FeatureExtractor.Inputs(xBudget, curve, emb));
            assertClose((up - down) / (2 * H), dEmb.getDouble(i, j), "embedding[" + i + "," + j + "]");
        }

        INDArray dTheta = table.parameterGradient(keys, dEmb);
        INDArray theta = embedder.parameters();
        for (int idx = 0; idx < theta.length(); idx++) {
            double orig = theta.getDouble(idx);
            theta.putScalar(idx, orig + H);
            embedder.setParameters(theta);
            table.invalidate();
            double up = nll(inputs());
            theta.putScalar(idx, orig - H);
            embedder.setParameters(theta);
            table.invalidate();
            double down = nll(inputs());
            theta.putScalar(idx, orig);
            embedder.setParameters(theta);
            table.invalidate();
            assertClose((up - down) / (2 * H), dTheta.getDouble(idx), "embedder parameter " + idx);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void forwardAndGradientsMatchSameDiffAutodiff(boolean curveOn) {
        FeatureExtractor net = new FeatureExtractor(d, curveOn, 4, DataType.DOUBLE, 9);
        // zero-padded tails as the forecaster builds them: the max pool sees ties there
        INDArray padded = curve.dup();
        padded.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6)).assign(0.0);
        FeatureExtractor.Inputs in = new FeatureExtractor.Inputs(xBudget, curveOn ? padded : null,
                table.rows(keys));
        SameDiffFeatureExtractorReference reference = new SameDiffFeatureExtractorReference(net);
        INDArray z = net.forwardTrain(in).z();
        double zScale = reference.forward(in).amaxNumber().doubleValue();
        assertTrue(z.sub(reference.forward(in)).amaxNumber().doubleValue() <= 1e-12 * Math.max(1, zScale));

        ExactGp.Evaluation ev = gp.nllAndGradients(z, y);
        Map<String, INDArray> ours = net.backward(in, ev);
        Map<String, INDArray> theirs = reference.gradients(in, ev.dZ());
        assertEquals(theirs.keySet(), ours.keySet());
        for (String k : ours.keySet()) {
            INDArray a = ours.get(k).reshape(-1);
            INDArray b = theirs.get(k).reshape(-1);
            double scale = Math.max(1, b.amaxNumber().doubleValue());
            double diff = a.sub(b).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-10 * scale, k + ": max |ND4J - SameDiff| = " + diff);
        }
    }

    @Test
    void embeddingsAndEmbedderGradientDoNotDependOnTheBatchSize() {
        EmbeddingTable oneAtATime = new EmbeddingTable(embedder, networks::get, DataType.DOUBLE, 1);
        EmbeddingTable threes = new EmbeddingTable(embedder, networks::get, DataType.DOUBLE, 3);
        INDArray all = table.rows(keys);
        assertEquals(all, oneAtATime.rows(keys));
        assertEquals(all, threes.rows(keys));
        INDArray dRows = Nd4j.rand(DataType.DOUBLE, n, 4);
        INDArray whole = table.parameterGradient(keys, dRows);
        for (EmbeddingTable chunked : List.of(oneAtATime, threes)) {
            assertTrue(whole.sub(chunked.parameterGradient(keys, dRows)).amaxNumber().doubleValue() < 1e-12);
        }
    }

    @Test
    void inferenceModeWithBatchStatisticsReproducesTrainingFeatures() {
        FeatureExtractor.Inputs in = inputs();
        FeatureExtractor.TrainForward fwd = fe.forwardTrain(in);
        INDArray zInfer = fe.forwardInfer(in, fwd.bnMean(), fwd.bnVar());
        assertTrue(fwd.z().sub(zInfer).amaxNumber().doubleValue() < 1e-12);
        assertEquals(FeatureExtractor.OUTPUT_DIM, zInfer.columns());
        // one row alone in inference mode gets the same features as inside the batch
        INDArray single = fe.forwardInfer(new FeatureExtractor.Inputs(xBudget.getRow(3, true),
                curve.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 4)).dup(),
                in.embedding().getRow(3, true)), fwd.bnMean(), fwd.bnVar());
        assertTrue(single.sub(zInfer.getRow(3, true)).amaxNumber().doubleValue() < 1e-12,
                Arrays.toString(single.shape()));
    }

    @Test
    void ablatedExtractorsRunInFloat() {
        for (boolean curveOn : new boolean[] {true, false}) {
            FeatureExtractor small = new FeatureExtractor(d, curveOn, 0, DataType.FLOAT, 1);
            FeatureExtractor.Inputs in = new FeatureExtractor.Inputs(xBudget.castTo(DataType.FLOAT),
                    curveOn ? curve.castTo(DataType.FLOAT) : null, null);
            INDArray z = small.forwardTrain(in).z();
            ExactGp fgp = new ExactGp(DataType.FLOAT);
            ExactGp.Evaluation ev = fgp.nllAndGradients(z, y.castTo(DataType.FLOAT));
            Map<String, INDArray> g = small.backward(in, ev);
            assertEquals(DataType.FLOAT, g.get("w1").dataType());
            assertEquals(curveOn, g.containsKey("convW"));
            assertTrue(Double.isFinite(g.get("w2").sumNumber().doubleValue()));
        }
    }
}
