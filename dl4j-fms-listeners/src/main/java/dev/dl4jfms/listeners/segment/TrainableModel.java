package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.ModelSnapshot;
import dev.dl4jfms.store.ModelSnapshots;
import java.util.Collection;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One view over {@link MultiLayerNetwork} and {@link ComputationGraph} for the few operations a segment needs.
 */
final class TrainableModel {

    private final MultiLayerNetwork net;
    private final ComputationGraph graph;

    private TrainableModel(MultiLayerNetwork net, ComputationGraph graph) {
        this.net = net;
        this.graph = graph;
    }

    static TrainableModel of(Model model) {
        if (model instanceof MultiLayerNetwork n) {
            return new TrainableModel(n, null);
        }
        if (model instanceof ComputationGraph g) {
            return new TrainableModel(null, g);
        }
        throw new IllegalArgumentException("Unsupported model type: "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** A new, initialised network from a configuration JSON. */
    static TrainableModel fresh(ModelSnapshot.ModelType type, String configJson) {
        if (type == ModelSnapshot.ModelType.MULTI_LAYER_NETWORK) {
            MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
            n.init();
            return new TrainableModel(n, null);
        }
        ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(configJson));
        g.init();
        return new TrainableModel(null, g);
    }

    /** Rebuilds a network from a snapshot (weights, updater state, epoch and iteration counts). */
    static TrainableModel restore(ModelSnapshot s) {
        return of(ModelSnapshots.restore(s));
    }

    Model model() {
        return net != null ? net : graph;
    }

    ModelSnapshot.ModelType type() {
        return net != null ? ModelSnapshot.ModelType.MULTI_LAYER_NETWORK : ModelSnapshot.ModelType.COMPUTATION_GRAPH;
    }

    String configJson() {
        return net != null ? net.getLayerWiseConfigurations().toJson() : graph.getConfiguration().toJson();
    }

    int epochCount() {
        return net != null ? net.getEpochCount() : graph.getConfiguration().getEpochCount();
    }

    long iterationCount() {
        return net != null ? net.getIterationCount() : graph.getIterationCount();
    }

    void setListeners(Collection<TrainingListener> listeners) {
        if (net != null) {
            net.setListeners(listeners);
        } else {
            graph.setListeners(listeners);
        }
    }

    /** One pass over {@code data} ({@code fit(iterator)}: fires epoch start/end, increments the epoch count). */
    void fitOneEpoch(DataSetIterator data) {
        if (net != null) {
            net.fit(data);
        } else {
            graph.fit(data);
        }
    }

    /** Mean loss per example over {@code data} (regularisation included, as in training scores). */
    double meanLoss(DataSetIterator data) {
        data.reset();
        double sum = 0;
        long n = 0;
        while (data.hasNext()) {
            DataSet ds = data.next();
            double s = net != null ? net.score(ds, false) : graph.score(ds, false);
            sum += s * ds.numExamples();
            n += ds.numExamples();
        }
        data.reset();
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Accuracy or F1 of a classifier on {@code data}. */
    double classificationMetric(DataSetIterator data, ValidationMetric metric) {
        data.reset();
        Evaluation e = net != null ? net.evaluate(data) : graph.evaluate(data);
        data.reset();
        return switch (metric) {
            case ACCURACY -> e.accuracy();
            case F1 -> e.f1();
            case LOSS -> throw new IllegalArgumentException("loss is not a classification metric");
        };
    }

    void clear() {
        if (net != null) {
            net.clear();
        } else {
            graph.clear();
        }
    }
}
