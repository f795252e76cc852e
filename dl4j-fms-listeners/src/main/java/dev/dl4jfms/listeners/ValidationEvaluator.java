package dev.dl4jfms.listeners;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Computes {@link ValidationMetric}s of a network on a validation iterator in one pass (training thread). */
final class ValidationEvaluator {

    private ValidationEvaluator() {
    }

    static Map<String, Double> evaluate(Model model, DataSetIterator data, Set<ValidationMetric> metrics) {
        boolean needEvaluation = metrics.contains(ValidationMetric.ACCURACY) || metrics.contains(ValidationMetric.F1);
        boolean needLoss = metrics.contains(ValidationMetric.LOSS);
        if (model instanceof ComputationGraph graph && (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1)) {
            throw new IllegalArgumentException("validation on a DataSetIterator needs a ComputationGraph with one "
                    + "input and one output; this one has " + graph.getNumInputArrays() + " and "
                    + graph.getNumOutputArrays() + " (use a ValidationScorer instead)");
        }
        Evaluation evaluation = new Evaluation();
        double lossSum = 0;
        long examples = 0;
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            int n = batch.numExamples();
            if (needEvaluation) {
                evaluation.eval(batch.getLabels(), output(model, batch.getFeatures()));
            }
            if (needLoss) {
                lossSum += score(model, batch) * n;
            }
            examples += n;
        }
        data.reset();
        if (examples == 0) {
            throw new IllegalStateException("validation iterator " + data.getClass().getName() + " is empty");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (metrics.contains(ValidationMetric.ACCURACY)) {
            out.put(ValidationMetric.ACCURACY.key(), evaluation.accuracy());
        }
        if (metrics.contains(ValidationMetric.F1)) {
            out.put(ValidationMetric.F1.key(), evaluation.f1());
        }
        if (needLoss) {
            out.put(ValidationMetric.LOSS.key(), lossSum / examples);
        }
        return out;
    }

    private static INDArray output(Model model, INDArray features) {
        if (model instanceof MultiLayerNetwork net) {
            return net.output(features, false);
        }
        if (model instanceof ComputationGraph graph) {
            return graph.outputSingle(false, features);
        }
        throw CheckpointCaptureListener.unsupported(model);
    }

    private static double score(Model model, DataSet batch) {
        if (model instanceof MultiLayerNetwork net) {
            return net.score(batch, false);
        }
        if (model instanceof ComputationGraph graph) {
            return graph.score(batch, false);
        }
        throw CheckpointCaptureListener.unsupported(model);
    }
}
